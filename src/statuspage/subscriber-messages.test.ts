import { describe, expect, it } from 'vitest';
import {
  confirmationEmail,
  type IncidentNotice,
  incidentEmail,
  incidentWebhook,
  type MaintenanceNotice,
  maintenanceEmail,
  maintenanceWebhook,
  type NoticePage,
} from './subscriber-messages.js';

const T0 = Date.parse('2026-11-21T14:00:00Z');
const PAGE: NoticePage = {
  pageName: 'Fleet status',
  pageUrl: 'https://status.example.org',
  indicator: 'major',
};
const UNSUBSCRIBE = 'https://status.example.org/unsubscribe/tok123';

const first = {
  id: 'iup_1',
  status: 'investigating' as const,
  body: 'Logins fail with **503**. See [the log](https://example.org/log) <script>alert(1)</script>',
  affected: [
    {
      componentId: 'cmp_1',
      name: 'Hub',
      oldStatus: 'operational' as const,
      newStatus: 'major_outage' as const,
    },
  ],
  createdAt: T0,
  publishedAt: T0,
};
const second = {
  ...first,
  id: 'iup_2',
  status: 'identified' as const,
  body: 'A bad certificate; replacing it.',
  affected: [],
  createdAt: T0 + 600_000,
  publishedAt: T0 + 600_000,
};
const INCIDENT: IncidentNotice = {
  id: 'inc_1',
  title: 'Hub login fails',
  status: 'identified',
  impact: 'major',
  createdAt: T0,
  updatedAt: T0 + 600_000,
  monitoringAt: null,
  resolvedAt: null,
  components: [{ id: 'cmp_1', name: 'Hub', status: 'major_outage' }],
  update: second,
  updates: [second, first],
};

describe('incident notices', () => {
  it('emails "[page] title: status" with the update as text, the incident link and an unsubscribe link', () => {
    const mail = incidentEmail(PAGE, { ...INCIDENT, update: first }, UNSUBSCRIBE);
    expect(mail.title).toBe('[Fleet status] Hub login fails: Investigating');
    expect(mail.text).toContain('Investigating: Logins fail with 503. See the log <script>alert(1)</script>');
    expect(mail.text).toContain('Affected: Hub');
    expect(mail.text).toContain('Posted: 2026-11-21 14:00 UTC');
    expect(mail.actions).toEqual([
      { label: 'View incident', url: 'https://status.example.org/incidents/inc_1' },
      { label: 'Unsubscribe', url: UNSUBSCRIBE },
    ]);
    expect(mail.unsubscribeUrl).toBe(UNSUBSCRIBE);
    expect(mail.urgency).toBe('low');
  });

  it('renders the Markdown sanitised in the HTML part', () => {
    const mail = incidentEmail(PAGE, { ...INCIDENT, update: first }, UNSUBSCRIBE);
    expect(mail.html).toContain('<strong>503</strong>');
    expect(mail.html).toContain('<a href="https://example.org/log" rel="nofollow noopener noreferrer">');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain(`<a href="${UNSUBSCRIBE}">Unsubscribe</a>`);
  });

  it('posts Statuspage’s webhook body: meta, page and the incident with every update, newest first', () => {
    const hook = incidentWebhook(PAGE, INCIDENT, UNSUBSCRIBE);
    expect(hook.data).toEqual({
      meta: { unsubscribe: UNSUBSCRIBE, documentation: 'https://status.example.org/subscribe' },
      page: { id: 'fleet', status_indicator: 'major', status_description: 'Partial System Outage' },
      incident: {
        id: 'inc_1',
        name: 'Hub login fails',
        status: 'identified',
        impact: 'major',
        backfilled: false,
        created_at: '2026-11-21T14:00:00.000Z',
        updated_at: '2026-11-21T14:10:00.000Z',
        monitoring_at: null,
        resolved_at: null,
        scheduled_for: null,
        scheduled_until: null,
        shortlink: 'https://status.example.org/incidents/inc_1',
        components: [{ id: 'cmp_1', name: 'Hub', status: 'major_outage' }],
        incident_updates: [
          {
            id: 'iup_2',
            incident_id: 'inc_1',
            status: 'identified',
            body: 'A bad certificate; replacing it.',
            created_at: '2026-11-21T14:10:00.000Z',
            updated_at: '2026-11-21T14:10:00.000Z',
            display_at: '2026-11-21T14:10:00.000Z',
            affected_components: [],
          },
          {
            id: 'iup_1',
            incident_id: 'inc_1',
            status: 'investigating',
            body: first.body,
            created_at: '2026-11-21T14:00:00.000Z',
            updated_at: '2026-11-21T14:00:00.000Z',
            display_at: '2026-11-21T14:00:00.000Z',
            affected_components: [
              { code: 'cmp_1', name: 'Hub', old_status: 'operational', new_status: 'major_outage' },
            ],
          },
        ],
      },
    });
  });
});

describe('maintenance notices', () => {
  const START = Date.parse('2026-11-22T02:00:00Z');
  const notice = (phases: MaintenanceNotice['phases']): MaintenanceNotice => ({
    maintenanceId: 'mnt_1',
    occurrenceId: `mnt_1-${START}`,
    title: 'Database upgrade',
    description: 'Postgres **16**.',
    start: START,
    end: START + 7_200_000,
    createdAt: START - 86_400_000 * 3,
    components: [{ id: 'cmp_1', name: 'Hub' }],
    phases,
  });
  const ahead = { phase: 'ahead' as const, at: START - 86_400_000 };

  it('emails ahead with the window, the description and the occurrence’s page', () => {
    const mail = maintenanceEmail(PAGE, notice([ahead]), UNSUBSCRIBE);
    expect(mail.title).toBe('[Fleet status] Database upgrade: scheduled for 2026-11-22 02:00 UTC');
    expect(mail.text).toContain('Scheduled maintenance from 2026-11-22 02:00 UTC to 2026-11-22 04:00 UTC.');
    expect(mail.text).toContain('Postgres 16.');
    expect(mail.url).toBe(`https://status.example.org/maintenances/mnt_1-${START}`);
    expect(mail.unsubscribeUrl).toBe(UNSUBSCRIBE);
  });

  it('posts a Statuspage scheduled incident with the phases so far', () => {
    const done = maintenanceWebhook(
      PAGE,
      notice([{ phase: 'completed', at: START + 7_200_000 }, { phase: 'started', at: START }, ahead]),
      UNSUBSCRIBE,
    );
    const incident = (done.data as { incident: Record<string, unknown> }).incident;
    expect(incident).toMatchObject({
      id: `mnt_1-${START}`,
      status: 'completed',
      impact: 'maintenance',
      scheduled_for: '2026-11-22T02:00:00.000Z',
      scheduled_until: '2026-11-22T04:00:00.000Z',
      resolved_at: '2026-11-22T04:00:00.000Z',
    });
    expect((incident.incident_updates as { status: string }[]).map((u) => u.status)).toEqual([
      'completed',
      'in_progress',
      'scheduled',
    ]);
    expect(maintenanceEmail(PAGE, notice([{ phase: 'started', at: START }, ahead]), UNSUBSCRIBE).title).toBe(
      '[Fleet status] Database upgrade: in progress',
    );
  });
});

describe('confirmationEmail', () => {
  it('asks to confirm through the link and names the scope', () => {
    const mail = confirmationEmail(PAGE, {
      confirmUrl: 'https://status.example.org/subscribe/confirm/abc',
      scope: ['pangeo', 'leap'],
      at: T0,
    });
    expect(mail.title).toBe('[Fleet status] Confirm your subscription');
    expect(mail.text).toContain('(pangeo, leap)');
    expect(mail.actions).toEqual([
      { label: 'Confirm subscription', url: 'https://status.example.org/subscribe/confirm/abc' },
    ]);
    expect(mail.unsubscribeUrl).toBeUndefined();
  });
});
