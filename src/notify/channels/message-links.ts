import type { MessageAction, OutboundMessage } from '../message.js';

/** The message's actions, then "Open in Firewatch" for message.url unless an action already links there. */
export function messageLinks(message: OutboundMessage): readonly MessageAction[] {
  const { url, actions } = message;
  if (url === null || actions.some((action) => action.url === url)) return actions;
  return [...actions, { label: 'Open in Firewatch', url }];
}
