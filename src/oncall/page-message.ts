import type { MessageDraft } from '../notify/message.js';

/** The alert a page is about, as the message needs it. */
export interface PagedAlert {
  readonly id: string;
  readonly severity: string;
  readonly summary: string;
  readonly community: string | null;
  readonly component: string | null;
  readonly firedAt: number;
  readonly urgencyRow: string;
}

/**
 * The text of a page (or reminder): one title line and a plain body. Action links (acknowledge,
 * resolve) are added per recipient when the message is sent, so the outbox holds no secrets.
 */
export function pageMessage(input: {
  readonly kind: 'page' | 'notify' | 'reminder';
  readonly alert: PagedAlert;
  readonly openAlerts: number;
  readonly step: number | null;
  readonly urgency: 'high' | 'low';
  readonly alertUrl: string;
  readonly at: number;
}): MessageDraft {
  const { alert } = input;
  const where = [alert.community, alert.component].filter((part) => part !== null).join(' / ');
  const prefix = input.kind === 'reminder' ? 'Reminder: ' : '';
  const title = `${prefix}[${alert.severity}] ${where ? `${where}: ` : ''}${alert.summary}`;
  const lines = [
    alert.summary,
    '',
    `Severity: ${alert.severity} (${alert.urgencyRow})`,
    ...(where ? [`Where: ${where}`] : []),
    `Firing since: ${new Date(alert.firedAt).toISOString()}`,
    ...(input.openAlerts > 1 ? [`Alerts in this group: ${input.openAlerts}`] : []),
    ...(input.step !== null ? [`Escalation step: ${input.step + 1}`] : []),
    ...(input.kind === 'reminder' ? ['You acknowledged this alert; it is still open.'] : []),
  ];
  return {
    kind: input.kind,
    urgency: input.urgency,
    title,
    text: lines.join('\n'),
    url: input.alertUrl,
    actions: [],
    data: {
      alert_id: alert.id,
      severity: alert.severity,
      summary: alert.summary,
      community: alert.community,
      component: alert.component,
      fired_at: new Date(alert.firedAt).toISOString(),
      urgency_row: alert.urgencyRow,
      step: input.step,
    },
    at: input.at,
  };
}
