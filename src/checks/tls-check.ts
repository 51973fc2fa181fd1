import { isIP } from 'node:net';
import {
  checkServerIdentity,
  connect,
  type DetailedPeerCertificate,
  rootCertificates,
  type TLSSocket,
} from 'node:tls';
import type { CheckOutcome } from './check-outcome.js';
import { messageOf } from './message-of.js';
import { networkErrorReason } from './network-error-reason.js';
import type { ProbeContext } from './network-policy.js';
import type { TlsSpec } from './tls-spec.js';

/** The edges of one TLS probe: the wall clock (ms since the epoch) that expiry decisions use. */
export interface TlsCheckOptions {
  readonly now?: () => number;
}

type Verdict = Omit<CheckOutcome, 'durationMs'>;

/**
 * Completes a TLS handshake with spec.host:spec.port and judges the peer's certificate chain. Never throws:
 * connect and handshake errors, a target refused by the network policy, an untrusted chain or a hostname
 * mismatch ("certificate is not trusted: DEPTH_ZERO_SELF_SIGNED_CERT …", unless spec.rejectUnauthorized is
 * off), an expired or not-yet-valid certificate, one expiring within spec.warnBeforeMs ("certificate expires
 * in 3 days (on 2026-11-24), within the 14-day warning window …"), a timeout (spec.timeoutMs over the whole
 * probe) and a cancellation through context.signal all become a failed outcome naming the problem.
 */
export function runTlsCheck(
  spec: TlsSpec,
  context: ProbeContext,
  options: TlsCheckOptions = {},
): Promise<CheckOutcome> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const target = `${isIP(spec.host) === 6 ? `[${spec.host}]` : spec.host}:${spec.port}`;
  const servername = spec.servername ?? (isIP(spec.host) === 0 ? spec.host : undefined);
  return new Promise((resolve) => {
    let socket: TLSSocket | undefined;
    let connected = false;
    let settled = false;
    const finish = (verdict: Verdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      context.signal.removeEventListener('abort', cancel);
      socket?.destroy();
      resolve({ ...verdict, durationMs: Math.round(performance.now() - started) });
    };
    const fail = (reason: string) => finish({ ok: false, slow: false, reason });
    const timer = setTimeout(() => {
      const stage = connected ? 'in the TLS handshake with' : 'connecting to';
      fail(`timed out after ${spec.timeoutMs} ms ${stage} ${target}`);
    }, spec.timeoutMs);
    const cancel = () => fail('probe cancelled before it finished');
    if (context.signal.aborted) return cancel();
    context.signal.addEventListener('abort', cancel, { once: true });

    const open = () => {
      if (settled) return;
      socket = connect({
        host: spec.host,
        port: spec.port,
        servername,
        lookup: context.lookup,
        // Trust is judged below from authorizationError, so the reason can name the certificate.
        rejectUnauthorized: false,
        ...(spec.caPem === null ? {} : { ca: [...rootCertificates, spec.caPem] }),
      });
      socket.once('connect', () => {
        connected = true;
      });
      socket.on('error', (error) => fail(handshakeFailure(error, target)));
      socket.once('secureConnect', () => {
        if (socket) finish(judgeHandshake(socket, spec, servername ?? spec.host, now()));
      });
    };
    // net.connect skips `lookup` for an IP literal, so the policy guard is asked explicitly first.
    if (isIP(spec.host) === 0) {
      open();
    } else {
      context.lookup(spec.host, { all: true }, (error) => {
        if (error) fail(handshakeFailure(error, target));
        else open();
      });
    }
  });
}

const DATE_ERRORS: ReadonlySet<string> = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNKNOWN_ISSUER_ERRORS: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function judgeHandshake(socket: TLSSocket, spec: TlsSpec, identity: string, nowMs: number): Verdict {
  const leaf = socket.getPeerCertificate(true);
  if (!leaf || Object.keys(leaf).length === 0) return failed('the server sent no certificate');
  const untrusted = !socket.authorized && spec.rejectUnauthorized ? String(socket.authorizationError) : null;
  if (untrusted !== null && !DATE_ERRORS.has(untrusted)) {
    return failed(trustFailure(untrusted, leaf, identity));
  }
  const dated = validityFailure(chainOf(leaf), spec.warnBeforeMs, nowMs);
  if (dated !== null) return failed(dated);
  // OpenSSL judged the dates on the real clock; an injected clock may disagree, and the chain is still untrusted.
  if (untrusted !== null) return failed(trustFailure(untrusted, leaf, identity));
  return { ok: true, slow: false, reason: null };
}

function trustFailure(code: string, leaf: DetailedPeerCertificate, identity: string): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const mismatch = checkServerIdentity(identity, leaf);
    return `certificate is not trusted: hostname mismatch: ${mismatch ? mismatch.message : identity}`;
  }
  const names = `subject ${nameOf(leaf.subject)}, issuer ${nameOf(leaf.issuer)}`;
  const next = UNKNOWN_ISSUER_ERRORS.has(code)
    ? '; trust its CA with caPem, or turn rejectUnauthorized off for a self-signed target'
    : '';
  return `certificate is not trusted: ${code} (${names})${next}`;
}

/** The expiry decision over the chain, leaf first: expired, not yet valid, then within the warning window. */
function validityFailure(
  chain: readonly DetailedPeerCertificate[],
  warnBeforeMs: number,
  nowMs: number,
): string | null {
  const label = (cert: DetailedPeerCertificate) => (cert === chain[0] ? 'certificate' : 'chain certificate');
  const about = (cert: DetailedPeerCertificate) => `(subject ${nameOf(cert.subject)})`;
  const soonest = [...chain].sort((a, b) => Date.parse(a.valid_to) - Date.parse(b.valid_to))[0];
  if (soonest === undefined) return null;
  const notAfter = Date.parse(soonest.valid_to);
  if (notAfter <= nowMs) return `${label(soonest)} expired on ${dayOf(notAfter)} ${about(soonest)}`;
  const early = chain.find((cert) => Date.parse(cert.valid_from) > nowMs);
  if (early)
    return `${label(early)} is not valid until ${dayOf(Date.parse(early.valid_from))} ${about(early)}`;
  if (notAfter - nowMs >= warnBeforeMs) return null;
  return (
    `${label(soonest)} expires ${inTime(notAfter - nowMs)} (on ${dayOf(notAfter)}), ` +
    `within the ${windowOf(warnBeforeMs)} warning window ${about(soonest)}`
  );
}

// The issuer links of the root point back at itself; stop at the first certificate seen twice.
function chainOf(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = leaf; cert && !seen.has(cert.fingerprint256); ) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  return chain;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function inTime(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `in ${days} ${days === 1 ? 'day' : 'days'}`;
  const hours = Math.floor(ms / HOUR_MS);
  return hours >= 1 ? `in ${hours} ${hours === 1 ? 'hour' : 'hours'}` : 'in less than an hour';
}

function windowOf(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}-day`;
  return ms % HOUR_MS === 0 ? `${ms / HOUR_MS}-hour` : `${ms} ms`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nameOf(name: Readonly<Record<string, string | string[] | undefined>> | undefined): string {
  if (!name) return 'unknown';
  const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join('+') : value);
  if (name.CN !== undefined) return `CN=${text(name.CN)}`;
  return (
    Object.entries(name)
      .map(([key, value]) => `${key}=${text(value)}`)
      .join(', ') || 'empty'
  );
}

function failed(reason: string): Verdict {
  return { ok: false, slow: false, reason };
}

function handshakeFailure(error: unknown, target: string): string {
  try {
    return networkErrorReason(error, new URL(`tls://${target}`));
  } catch {
    return `TLS connect to ${target} failed: ${messageOf(error)}`;
  }
}
