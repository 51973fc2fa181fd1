import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/store/database.js';
import { enqueueIncidentNotices } from '../src/store/subscriber-notices.js';
import { testDialects } from './support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';

const TOKEN = 'fw_subscriber-email-e2e-token-0123456';
const T0 = Date.UTC(2026, 10, 21, 14, 0);

const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
`;

/** A real SMTP server on 127.0.0.1 that keeps every message it is given. */
async function startMailbox() {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The raw message with quoted-printable soft breaks and escapes undone, enough to read links and headers. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

async function publishUpdate(
  database: Database,
  incidentId: string,
  updateId: string,
  status: string,
  at: number,
) {
  const hub = await database.db
    .selectFrom('components')
    .select('id')
    .where('ref', '=', 'pangeo/hub')
    .executeTakeFirstOrThrow();
  const exists = await database.db
    .selectFrom('incidents')
    .select('id')
    .where('id', '=', incidentId)
    .executeTakeFirst();
  if (!exists) {
    await database.db
      .insertInto('incidents')
      .values({
        id: incidentId,
        title: 'Hub login fails',
        status,
        impact: 'major',
        severity: 'P2',
        detection_source: 'monitoring',
        origin: 'manual',
        detected_at: at,
        first_report_at: null,
        lead_time_ms: null,
        commander: null,
        communications: null,
        published_at: at,
        recovered_at: null,
        monitoring_at: null,
        resolved_at: null,
        postmortem_at: null,
        next_update_due_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await database.db
      .insertInto('incident_components')
      .values({ incident_id: incidentId, component_id: hub.id, status: 'major_outage', added_at: at })
      .execute();
  }
  await database.db
    .insertInto('incident_updates')
    .values({
      id: updateId,
      incident_id: incidentId,
      kind: 'public',
      status,
      body: 'Logins return **503**; we are on it.',
      affected: '[]',
      author: 'ana',
      state: 'published',
      created_at: at,
      published_at: at,
    })
    .execute();
}

describe.each(testDialects())(
  'status-page subscriptions by email through a real SMTP server on $name',
  (dialect) => {
    let app: TestFirewatch | undefined;
    let mailbox: Awaited<ReturnType<typeof startMailbox>> | undefined;
    afterEach(async () => {
      await app?.close();
      await mailbox?.close();
      app = undefined;
      mailbox = undefined;
    });

    it.skipIf(!dialect.available)(
      'confirms by email, delivers a notice with one-click List-Unsubscribe headers, and a one-click POST stops the next',
      async () => {
        mailbox = await startMailbox();
        const clock = { now: T0 };
        app = await startTestFirewatch(CONFIG, {
          dialect,
          token: TOKEN,
          name: 'subscriber-email',
          now: () => clock.now,
          config: { smtp: { url: `smtp://127.0.0.1:${mailbox.port}`, from: 'Status <status@example.org>' } },
        });
        const base = app.firewatch.url;
        const subscribed = await fetch(`${base}/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'email=ana%40example.org&community=pangeo',
        });
        expect(subscribed.status).toBe(200);
        await app.firewatch.paging.turn();
        expect(mailbox.messages).toHaveLength(1);
        const confirmation = decoded(mailbox.messages[0]!.raw);
        expect(header(confirmation, 'Subject')).toBe('[Fleet status] Confirm your subscription');
        expect(header(confirmation, 'List-Unsubscribe')).toBeUndefined();
        const confirmUrl = /Confirm subscription: (http\S+)/.exec(confirmation)?.[1] ?? '';
        expect(confirmUrl.startsWith(`${base}/subscribe/confirm/`)).toBe(true);
        expect((await fetch(confirmUrl)).status).toBe(200);
        expect((await fetch(confirmUrl, { method: 'POST' })).status).toBe(200);

        const { database } = app;
        const page = { pageName: 'Fleet status', pageUrl: base };
        clock.now = T0 + 60_000;
        await publishUpdate(database, 'inc_e2e', 'iup_1', 'investigating', clock.now);
        const input = { incidentId: 'inc_e2e', updateId: 'iup_1' };
        expect(await enqueueIncidentNotices(database.db, database.capabilities, input, page, clock.now)).toBe(
          1,
        );
        await app.firewatch.paging.turn();
        expect(mailbox.messages).toHaveLength(2);
        const notice = decoded(mailbox.messages[1]!.raw);
        expect(mailbox.messages[1]?.to).toEqual(['ana@example.org']);
        expect(header(notice, 'Subject')).toBe('[Fleet status] Hub login fails: Investigating');
        const unsubscribe = header(notice, 'List-Unsubscribe') ?? '';
        expect(unsubscribe).toMatch(new RegExp(`^<${base}/unsubscribe/[\\w-]+>$`));
        expect(header(notice, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
        expect(notice).toContain('Investigating: Logins return 503; we are on it.');
        expect(notice).toContain(`View incident: ${base}/incidents/inc_e2e`);
        expect(notice).toContain('<strong>503</strong>');

        // A second update is queued; then the reader clicks unsubscribe in the mail client (RFC 8058).
        clock.now = T0 + 120_000;
        await publishUpdate(database, 'inc_e2e', 'iup_2', 'identified', clock.now);
        await enqueueIncidentNotices(
          database.db,
          database.capabilities,
          { incidentId: 'inc_e2e', updateId: 'iup_2' },
          page,
          clock.now,
        );
        const oneClick = await fetch(unsubscribe.slice(1, -1), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        expect(oneClick.status).toBe(200);
        await app.firewatch.paging.turn();
        expect(mailbox.messages).toHaveLength(2);
        const rows = await database.db
          .selectFrom('notifications')
          .select(['dedup_key', 'state', 'last_error'])
          .where('reason', '=', 'subscriber')
          .orderBy('id')
          .execute();
        expect(rows.map((r) => [r.state, r.last_error])).toEqual([
          ['sent', null],
          ['cancelled', 'the subscriber unsubscribed'],
        ]);
        await publishUpdate(database, 'inc_e2e', 'iup_3', 'resolved', clock.now);
        const after = { incidentId: 'inc_e2e', updateId: 'iup_3' };
        expect(await enqueueIncidentNotices(database.db, database.capabilities, after, page, clock.now)).toBe(
          0,
        );

        const listed = (await (await api(app, '/api/v1/subscribers?all=true')).json()) as {
          subscribers: { state: string }[];
        };
        expect(listed.subscribers).toMatchObject([{ state: 'unsubscribed' }]);
      },
    );
  },
);
