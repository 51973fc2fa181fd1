import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from './support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';

const TOKEN = 'fw_email-paging-e2e-token-0123456789';
const T0 = Date.UTC(2026, 10, 21, 14, 0);

const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
integrations:
  - { key: events, kind: generic }
users:
  - key: ana
    name: Ana
    time_zone: Europe/Berlin
    contact_methods:
      - { key: mail, kind: email, address: ana@example.org }
schedules:
  - key: primary
    name: Primary
    time_zone: Europe/Berlin
    layers:
      - { name: weekly, rotation: weekly, start: "2026-01-05T09:00", participants: [ana] }
escalation_policies:
  - key: default
    name: Default
    steps:
      - { targets: [{ schedule: primary }], escalate_after: 5m }
routing:
  default_policy: default
`;

/** A real SMTP server on 127.0.0.1 that keeps every message it is given. */
interface Mailbox {
  readonly port: number;
  readonly messages: { readonly to: string[]; readonly raw: string }[];
  close(): Promise<void>;
}

async function startMailbox(port = 0): Promise<Mailbox> {
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Undoes quoted-printable soft line breaks and escapes, enough to read links out of a mail body. */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function linkFor(raw: string, label: string): string {
  const text = decodeQuotedPrintable(raw);
  const match = new RegExp(`${label}: (http\\S+/act/[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${label} link in:\n${text}`);
  return match[1];
}

describe.each(testDialects())('paging by email through a real SMTP server on $name', (dialect) => {
  let app: TestFirewatch | undefined;
  let mailbox: Mailbox | undefined;
  afterEach(async () => {
    await app?.close();
    await mailbox?.close();
    app = undefined;
    mailbox = undefined;
  });

  async function start(
    smtpPort: number,
    clock: { now: number },
  ): Promise<{ app: TestFirewatch; ingest: string }> {
    const started = await startTestFirewatch(CONFIG, {
      dialect,
      token: TOKEN,
      name: 'email-paging',
      now: () => clock.now,
      config: { smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'Firewatch <firewatch@example.org>' } },
    });
    const listed = (await (await api(started, '/api/v1/integrations')).json()) as {
      integrations: { key: string; url: string }[];
    };
    return { app: started, ingest: listed.integrations.find((i) => i.key === 'events')?.url ?? '' };
  }

  const fire = (ingest: string, key: string) =>
    fetch(ingest, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'hub_down',
        dedup_key: key,
        status: 'problem',
        severity: 'P1',
        community: 'pangeo',
        summary: 'Hub login returns 503',
      }),
    });

  it.skipIf(!dialect.available)(
    'emails the on-call person with acknowledge and resolve links that work once, for that person',
    async () => {
      mailbox = await startMailbox();
      const clock = { now: T0 };
      const started = await start(mailbox.port, clock);
      app = started.app;
      expect((await fire(started.ingest, 'hub-a')).status).toBe(200);
      await app.firewatch.paging.turn();
      await app.firewatch.paging.turn();
      expect(mailbox.messages).toHaveLength(1);
      const [mail] = mailbox.messages;
      expect(mail?.to).toEqual(['ana@example.org']);
      expect(mail?.raw).toMatch(/Subject: \[PAGE\] \[P1\] pangeo: Hub login returns 503/);

      const ack = linkFor(mail!.raw, 'Acknowledge');
      expect(ack.startsWith(app.firewatch.url)).toBe(true);
      const confirm = await fetch(ack);
      expect(confirm.status).toBe(200);
      expect(await confirm.text()).toContain('<form method="post"');
      // Looking at the link acknowledged nothing.
      const before = (await (await api(app, '/api/v1/alerts?status=firing')).json()) as { alerts: unknown[] };
      expect(before.alerts).toHaveLength(1);

      clock.now = T0 + 60_000;
      const done = await fetch(ack, { method: 'POST' });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Acknowledged 1 alert as <strong>ana</strong>');
      const alerts = (await (await api(app, '/api/v1/alerts')).json()) as {
        alerts: { status: string; owner: string; urgency_row: string }[];
      };
      expect(alerts.alerts.map((a) => [a.status, a.owner, a.urgency_row])).toEqual([
        ['acknowledged', 'ana', 'P1 · critical · high'],
      ]);

      const again = await fetch(ack, { method: 'POST' });
      expect(again.status).toBe(410);
      expect((await fetch(`${app.firewatch.url}/act/not-a-token`, { method: 'POST' })).status).toBe(404);

      // Acknowledged: the 5-minute step never pages anyone.
      clock.now = T0 + 10 * 60_000;
      await app.firewatch.paging.turn();
      expect(mailbox.messages).toHaveLength(1);
      const pages = (await (await api(app, '/api/v1/pages')).json()) as {
        pages: { status: string; acknowledged_by: string }[];
      };
      expect(pages.pages).toMatchObject([{ status: 'acknowledged', acknowledged_by: 'ana' }]);

      // Links expire: the resolve link, a day later, no longer works.
      const resolve = linkFor(mail!.raw, 'Resolve');
      clock.now = T0 + 25 * 60 * 60_000;
      expect((await fetch(resolve, { method: 'POST' })).status).toBe(410);
    },
  );

  it.skipIf(!dialect.available)(
    'with the SMTP server down, retries with backoff and delivers once it is back: nothing lost, nothing twice',
    async () => {
      const probe = await startMailbox();
      const port = probe.port;
      await probe.close();
      const clock = { now: T0 };
      const started = await start(port, clock);
      app = started.app;
      expect((await fire(started.ingest, 'hub-b')).status).toBe(200);
      await app.firewatch.paging.turn();
      await app.firewatch.paging.turn();
      const failed = (await (await api(app, '/api/v1/notifications')).json()) as {
        notifications: { state: string; attempts: number; last_error: string; next_attempt_at: string }[];
      };
      expect(failed.notifications).toMatchObject([{ state: 'pending', attempts: 1 }]);
      expect(failed.notifications[0]?.last_error).toMatch(/127\.0\.0\.1/);
      expect(Date.parse(failed.notifications[0]!.next_attempt_at)).toBe(T0 + 10_000);

      clock.now = T0 + 10_000;
      await app.firewatch.paging.turn();
      expect((await (await api(app, '/api/v1/notifications')).json()) as unknown).toMatchObject({
        notifications: [{ state: 'pending', attempts: 2 }],
      });

      mailbox = await startMailbox(port);
      clock.now = T0 + 30_000;
      await app.firewatch.paging.turn();
      expect(mailbox.messages).toHaveLength(1);
      for (const minutes of [1, 2, 3, 4]) {
        clock.now = T0 + minutes * 60_000;
        await app.firewatch.paging.turn();
      }
      expect(mailbox.messages).toHaveLength(1);
      const page = (await (await api(app, '/api/v1/pages')).json()) as { pages: { id: string }[] };
      const detail = (await (await api(app, `/api/v1/pages/${page.pages[0]!.id}`)).json()) as {
        notifications: { state: string; attempts: { result: string; error: string | null }[] }[];
      };
      expect(detail.notifications).toHaveLength(1);
      expect(detail.notifications[0]?.state).toBe('sent');
      expect(detail.notifications[0]?.attempts.map((a) => a.result)).toEqual([
        'retryable_error',
        'retryable_error',
        'sent',
      ]);
    },
  );
});
