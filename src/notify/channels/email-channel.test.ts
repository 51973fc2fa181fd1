import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { closedPort } from '../../../test/support/test-receiver.js';
import type { DeliveryTarget } from '../message.js';
import { closeEmailTransports, sendEmail } from './email-channel.js';

/** One message an SMTP test server accepted: the envelope and the raw RFC 5322 text. */
interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

interface TestSmtpServer {
  readonly port: number;
  readonly mails: ReceivedMail[];
  stop(): Promise<void>;
}

const servers: TestSmtpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

afterAll(() => closeEmailTransports());

/** An SMTP server on 127.0.0.1 (no TLS, no auth) that keeps what it receives; options can refuse things. */
async function startSmtp(options: Partial<SMTPServerOptions> = {}, port = 0): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        mails.push({ from, to, raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const started = {
    port: (server.server.address() as AddressInfo).port,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(started);
  return started;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** The text of the first text/plain part, quoted-printable decoded (what Nodemailer uses for ASCII text). */
function plainText(raw: string): string {
  const part =
    /Content-Type: text\/plain[^\r\n]*\r\nContent-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/i.exec(
      raw,
    );
  const [, encoding = '', body = ''] = part ?? [];
  if (encoding.toLowerCase() !== 'quoted-printable') return body.replaceAll('\r\n', '\n');
  return body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll('\r\n', '\n');
}

const target: DeliveryTarget = { kind: 'email', address: 'oncall@example.org', secret: null };

function context(port: number, timeoutMs = 3000) {
  return sampleContext({
    smtp: { url: `smtp://127.0.0.1:${port}`, from: 'Firewatch <fw@example.org>' },
    timeoutMs,
  });
}

describe('sendEmail', () => {
  it('sends the page with a [PAGE] subject, the ack link and a recognisable Message-ID', async () => {
    const server = await startSmtp();
    const message = sampleMessage();
    const result = await sendEmail(target, message, context(server.port));
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/^250/) });
    const mail = server.mails[0]!;
    expect(mail).toMatchObject({ from: 'fw@example.org', to: ['oncall@example.org'] });
    expect(mail.raw).toContain(`Subject: [PAGE] ${message.title}`);
    expect(mail.raw).toContain(`Message-ID: <${message.id}@firewatch>`);
    expect(mail.raw).toContain(`X-Firewatch-Delivery: ${message.id}`);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const text = plainText(mail.raw);
    expect(text).toContain(message.text);
    expect(text).toContain(`Acknowledge: ${message.actions[0]?.url}`);
    expect(text).toContain(`Open in Firewatch: ${message.url}`);
  });

  it('sends a notification without the [PAGE] prefix', async () => {
    const server = await startSmtp();
    await sendEmail(
      target,
      sampleMessage({ urgency: 'low', title: 'Maintenance starts' }),
      context(server.port),
    );
    expect(server.mails[0]?.raw).toMatch(/^Subject: Maintenance starts\r$/m);
  });

  it('fails permanently without an SMTP server configured', async () => {
    expect(await sendEmail(target, sampleMessage(), sampleContext({ smtp: null }))).toEqual({
      ok: false,
      retryable: false,
      error: 'no SMTP server configured: set FIREWATCH_SMTP_URL',
    });
  });

  it('fails permanently when the server refuses the recipient with 550', async () => {
    const server = await startSmtp({
      onRcptTo: (_address, _session, callback) => callback(smtpError('No such user', 550)),
    });
    const result = await sendEmail(target, sampleMessage(), context(server.port));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: `127.0.0.1:${server.port} refused the message: 550 No such user (after RCPT); fix the contact method's email address`,
    });
  });

  it('retries when the server defers the recipient with 451', async () => {
    const server = await startSmtp({
      onRcptTo: (_address, _session, callback) => callback(smtpError('Try later', 451)),
    });
    const result = await sendEmail(target, sampleMessage(), context(server.port));
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringContaining('deferred the message: 451 Try later'),
    });
  });

  it('retries when nothing listens on the SMTP port', async () => {
    const port = await closedPort();
    const result = await sendEmail(target, sampleMessage(), context(port));
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `SMTP server 127.0.0.1:${port} could not be reached: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED)`,
    });
  });

  it('fails permanently for an address the client cannot send to', async () => {
    const server = await startSmtp();
    const result = await sendEmail(
      { ...target, address: 'not an address' },
      sampleMessage(),
      context(server.port),
    );
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('email address'),
    });
    expect(server.mails).toEqual([]);
  });

  it('retries when the server never finishes, within the timeout', async () => {
    const server = await startSmtp({ onData: () => {} });
    const started = Date.now();
    const result = await sendEmail(target, sampleMessage(), context(server.port, 400));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `127.0.0.1:${server.port} did not finish the SMTP session within 400 ms`,
    });
  });

  it('delivers the same message once a stopped server is back on its port', async () => {
    const first = await startSmtp();
    const { port } = first;
    const message = sampleMessage();
    await sendEmail(target, message, context(port));
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    const whileDown = await sendEmail(target, message, context(port));
    expect(whileDown).toMatchObject({ ok: false, retryable: true });
    const second = await startSmtp({}, port);
    expect(await sendEmail(target, message, context(port))).toMatchObject({ ok: true });
    expect(second.mails[0]?.raw).toContain(`Message-ID: <${message.id}@firewatch>`);
  });
});
