import type { ChannelKind } from '../notify/message.js';
import type { TimeWindow } from './schedule.js';

export type Urgency = 'high' | 'low';

/** A way to reach a person. `address` is an email address or the URL to post to (webhooks, ntfy topic). */
export interface ContactMethod {
  readonly key: string;
  readonly kind: ChannelKind;
  readonly address: string;
  /** HMAC secret for signing webhook deliveries; null = unsigned (email) or not set. */
  readonly secret: string | null;
}

/** "Notify me through `method`, `afterMs` after I am paged, for these urgencies." */
export interface NotificationRule {
  readonly method: string;
  readonly afterMs: number;
  readonly urgencies: readonly Urgency[];
}

/** A responder: who they are, where they live (time zone), when they work and how to reach them. */
export interface Person {
  readonly key: string;
  readonly name: string;
  readonly timeZone: string;
  /** When low-urgency notifications may reach them (their zone). Default Mon–Fri 09:00–17:00. */
  readonly workingHours: readonly TimeWindow[];
  readonly contactMethods: readonly ContactMethod[];
  /** Empty = every contact method at once, for both urgencies. */
  readonly notificationRules: readonly NotificationRule[];
}

export const DEFAULT_WORKING_HOURS: readonly TimeWindow[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
];
