import type { MaintenancePhase } from '../incidents/due-maintenance-notices.js';
import type { Impact, IncidentStatus } from '../incidents/incident.js';
import type { MessageDraft } from '../notify/message.js';
import { type ComponentStatus, type Indicator, indicatorDescription } from './component-status.js';
import { html, SafeHtml } from './html.js';
import { markdownToText, renderMarkdown } from './markdown.js';

// What status-page subscribers receive. Emails: "[<page>] <title>: <status>", the update as text, a
// link to the page and a one-click unsubscribe link. Webhooks: Atlassian Statuspage's webhook body
// (meta, page, incident with incident_updates), so receivers written for Statuspage read it as is;
// a maintenance is a Statuspage scheduled incident (impact "maintenance", scheduled_for/until).

/** The page a notice comes from, and its indicator now (for webhook bodies). */
export interface NoticePage {
  readonly pageName: string;
  /** No trailing slash. */
  readonly pageUrl: string;
  readonly indicator: Indicator;
}

/** One published public update of an incident. */
export interface NoticeUpdate {
  readonly id: string;
  readonly status: IncidentStatus;
  /** Markdown as written. */
  readonly body: string;
  readonly affected: readonly {
    readonly componentId: string;
    readonly name: string;
    readonly oldStatus: ComponentStatus;
    readonly newStatus: ComponentStatus;
  }[];
  readonly createdAt: number;
  readonly publishedAt: number;
}

/** An incident as a notice tells it: the update announced now, and every published one (newest first). */
export interface IncidentNotice {
  readonly id: string;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly impact: Impact;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly monitoringAt: number | null;
  readonly resolvedAt: number | null;
  readonly components: readonly {
    readonly id: string;
    readonly name: string;
    readonly status: ComponentStatus;
  }[];
  readonly update: NoticeUpdate;
  readonly updates: readonly NoticeUpdate[];
}

/** One occurrence of a maintenance and the phases announced so far (newest first, the current one first). */
export interface MaintenanceNotice {
  readonly maintenanceId: string;
  /** `<maintenanceId>` for a one-off window, `<maintenanceId>-<start>` for an occurrence of a recurring one. */
  readonly occurrenceId: string;
  readonly title: string;
  /** Markdown, or null. */
  readonly description: string | null;
  readonly start: number;
  readonly end: number;
  readonly createdAt: number;
  readonly components: readonly { readonly id: string; readonly name: string }[];
  readonly phases: readonly { readonly phase: MaintenancePhase; readonly at: number }[];
}

const STATUS_WORDS: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

const PHASE_STATUS = { ahead: 'scheduled', started: 'in_progress', completed: 'completed' } as const;

/** The email asking an address to confirm its subscription; the link opens a page with a Confirm button. */
export function confirmationEmail(
  page: Pick<NoticePage, 'pageName' | 'pageUrl'>,
  input: { readonly confirmUrl: string; readonly scope: readonly string[] | null; readonly at: number },
): MessageDraft {
  const scope = input.scope === null ? 'every community' : input.scope.join(', ');
  const lines = [
    `Someone (hopefully you) asked to get email about incidents and maintenance on ${page.pageName} (${scope}).`,
    'Open the link below and press Confirm to start. If you did not ask for this, ignore this email: nothing is sent without confirmation.',
  ];
  return {
    kind: 'notice',
    urgency: 'low',
    title: `[${page.pageName}] Confirm your subscription`,
    text: lines.join('\n\n'),
    url: null,
    actions: [{ label: 'Confirm subscription', url: input.confirmUrl }],
    data: {},
    at: input.at,
  };
}

/** The email about an incident update. */
export function incidentEmail(
  page: NoticePage,
  incident: IncidentNotice,
  unsubscribeUrl: string,
): MessageDraft {
  const url = incidentUrl(page, incident.id);
  const status = STATUS_WORDS[incident.update.status];
  const names = incident.components.map((c) => c.name);
  const facts = [
    names.length > 0 ? `Affected: ${names.join(', ')}` : null,
    `Posted: ${utc(incident.update.publishedAt)}`,
  ].filter((line): line is string => line !== null);
  const text = [`${status}: ${markdownToText(incident.update.body)}`, facts.join('\n')].join('\n\n');
  const body = html`<p><strong>${status}</strong></p>
${new SafeHtml(renderMarkdown(incident.update.body))}
<p>${facts.map((line) => html`${line}<br>`)}</p>`;
  return noticeEmail(page, {
    heading: `${incident.title}: ${status}`,
    text,
    body,
    url,
    view: 'View incident',
    at: incident.update.publishedAt,
    unsubscribeUrl,
  });
}

/** The Statuspage-shaped webhook body about an incident update, as the message's data. */
export function incidentWebhook(
  page: NoticePage,
  incident: IncidentNotice,
  unsubscribeUrl: string,
): MessageDraft {
  const url = incidentUrl(page, incident.id);
  const data = {
    meta: { unsubscribe: unsubscribeUrl, documentation: `${page.pageUrl}/subscribe` },
    page: pageOf(page),
    incident: {
      id: incident.id,
      name: incident.title,
      status: incident.status,
      impact: incident.impact,
      backfilled: false,
      created_at: iso(incident.createdAt),
      updated_at: iso(incident.updatedAt),
      monitoring_at: isoOrNull(incident.monitoringAt),
      resolved_at: isoOrNull(incident.resolvedAt),
      scheduled_for: null,
      scheduled_until: null,
      shortlink: url,
      components: incident.components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
      incident_updates: incident.updates.map((u) => ({
        id: u.id,
        incident_id: incident.id,
        status: u.status,
        body: u.body,
        created_at: iso(u.createdAt),
        updated_at: iso(u.publishedAt),
        display_at: iso(u.publishedAt),
        affected_components: u.affected.map((a) => ({
          code: a.componentId,
          name: a.name,
          old_status: a.oldStatus,
          new_status: a.newStatus,
        })),
      })),
    },
  };
  const status = STATUS_WORDS[incident.update.status];
  return {
    kind: 'notice',
    urgency: 'low',
    title: `[${page.pageName}] ${incident.title}: ${status}`,
    text: markdownToText(incident.update.body),
    url,
    actions: [],
    data,
    at: incident.update.publishedAt,
    unsubscribeUrl,
  };
}

/** The email about a maintenance occurrence: coming up, started, or completed. */
export function maintenanceEmail(
  page: NoticePage,
  notice: MaintenanceNotice,
  unsubscribeUrl: string,
): MessageDraft {
  const current = notice.phases[0];
  const phase = current?.phase ?? 'ahead';
  const headline = phaseHeadline(notice, phase);
  const description = notice.description === null ? null : markdownToText(notice.description);
  const facts = [
    `Window: ${utc(notice.start)} to ${utc(notice.end)}`,
    notice.components.length > 0 ? `Affected: ${notice.components.map((c) => c.name).join(', ')}` : null,
  ].filter((line): line is string => line !== null);
  const url = maintenanceUrl(page, notice);
  const text = [phaseSentence(notice, phase), description, facts.join('\n')]
    .filter((part): part is string => part !== null && part !== '')
    .join('\n\n');
  const body = html`<p><strong>${phaseSentence(notice, phase)}</strong></p>
${notice.description === null ? null : new SafeHtml(renderMarkdown(notice.description))}
<p>${facts.map((line) => html`${line}<br>`)}</p>`;
  return noticeEmail(page, {
    heading: `${notice.title}: ${headline}`,
    text,
    body,
    url,
    view: 'View maintenance',
    at: current?.at ?? notice.start,
    unsubscribeUrl,
  });
}

/** A subscriber notice email: title, view and unsubscribe actions, and the HTML document around `body`. */
function noticeEmail(
  page: NoticePage,
  email: {
    readonly heading: string;
    readonly text: string;
    readonly body: SafeHtml;
    readonly url: string;
    readonly view: string;
    readonly at: number;
    readonly unsubscribeUrl: string;
  },
): MessageDraft {
  const { heading, url, view, unsubscribeUrl } = email;
  return {
    kind: 'notice',
    urgency: 'low',
    title: `[${page.pageName}] ${heading}`,
    text: email.text,
    url,
    actions: [
      { label: view, url },
      { label: 'Unsubscribe', url: unsubscribeUrl },
    ],
    data: {},
    at: email.at,
    unsubscribeUrl,
    html: emailDocument(heading, email.body, url, view, unsubscribeUrl),
  };
}

/** The Statuspage-shaped webhook body about a maintenance occurrence (a scheduled incident). */
export function maintenanceWebhook(
  page: NoticePage,
  notice: MaintenanceNotice,
  unsubscribeUrl: string,
): MessageDraft {
  const current = notice.phases[0];
  const phase = current?.phase ?? 'ahead';
  const updatedAt = current?.at ?? notice.createdAt;
  const data = {
    meta: { unsubscribe: unsubscribeUrl, documentation: `${page.pageUrl}/subscribe` },
    page: pageOf(page),
    incident: {
      id: notice.occurrenceId,
      name: notice.title,
      status: PHASE_STATUS[phase],
      impact: 'maintenance',
      backfilled: false,
      created_at: iso(notice.createdAt),
      updated_at: iso(updatedAt),
      monitoring_at: null,
      resolved_at: phase === 'completed' ? iso(notice.end) : null,
      scheduled_for: iso(notice.start),
      scheduled_until: iso(notice.end),
      shortlink: maintenanceUrl(page, notice),
      components: notice.components.map((c) => ({ id: c.id, name: c.name, status: 'under_maintenance' })),
      incident_updates: notice.phases.map((p) => ({
        id: `${notice.occurrenceId}-${p.phase}`,
        incident_id: notice.occurrenceId,
        status: PHASE_STATUS[p.phase],
        body: phaseSentence(notice, p.phase),
        created_at: iso(p.at),
        updated_at: iso(p.at),
        display_at: iso(p.at),
      })),
    },
  };
  return {
    kind: 'notice',
    urgency: 'low',
    title: `[${page.pageName}] ${notice.title}: ${phaseHeadline(notice, phase)}`,
    text: phaseSentence(notice, phase),
    url: maintenanceUrl(page, notice),
    actions: [],
    data,
    at: updatedAt,
    unsubscribeUrl,
  };
}

function phaseHeadline(notice: MaintenanceNotice, phase: MaintenancePhase): string {
  if (phase === 'ahead') return `scheduled for ${utc(notice.start)}`;
  return phase === 'started' ? 'in progress' : 'completed';
}

function phaseSentence(notice: MaintenanceNotice, phase: MaintenancePhase): string {
  if (phase === 'ahead') return `Scheduled maintenance from ${utc(notice.start)} to ${utc(notice.end)}.`;
  if (phase === 'started') return `Scheduled maintenance is in progress until ${utc(notice.end)}.`;
  return 'Scheduled maintenance has completed.';
}

function emailDocument(title: string, body: SafeHtml, url: string, label: string, unsubscribeUrl: string) {
  return html`<!doctype html>
<html><body style="font-family: sans-serif">
<h2>${title}</h2>
${body}
<p><a href="${url}">${label}</a></p>
<p style="color: #59636e; font-size: 0.875em">You get this because you subscribed to this status page. <a href="${unsubscribeUrl}">Unsubscribe</a></p>
</body></html>`.toString();
}

function pageOf(page: NoticePage) {
  return {
    id: 'fleet',
    status_indicator: page.indicator,
    status_description: indicatorDescription(page.indicator),
  };
}

function maintenanceUrl(page: NoticePage, notice: MaintenanceNotice): string {
  return `${page.pageUrl}/maintenances/${encodeURIComponent(notice.occurrenceId)}`;
}

function incidentUrl(page: NoticePage, id: string): string {
  return `${page.pageUrl}/incidents/${encodeURIComponent(id)}`;
}

function utc(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function isoOrNull(at: number | null): string | null {
  return at === null ? null : iso(at);
}
