import type { CaaRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import type { CheckOutcome } from './check-outcome.js';
import type { DnsRecordType, DnsSpec } from './dns-spec.js';
import { messageOf } from './message-of.js';
import type { ProbeContext } from './network-policy.js';

/**
 * Asks spec.resolver (or the system resolvers) for spec.name's spec.recordType records and checks that every
 * expected answer is among them. Never throws: NXDOMAIN ("NXDOMAIN: example.org does not exist"), no records
 * ("no A records for example.org (ENODATA)"), a missing answer ("expected 1.2.3.4 among the A answers, got
 * 5.6.7.8"), resolver errors, a timeout (spec.timeoutMs over the whole probe) and a cancellation through
 * context.signal become a failed outcome. context.lookup does not apply: queries go to the resolver, whose
 * address the network policy vets where the monitor is configured.
 */
export async function runDnsCheck(spec: DnsSpec, context: ProbeContext): Promise<CheckOutcome> {
  const started = performance.now();
  const finish = (reason: string | null): CheckOutcome => ({
    ok: reason === null,
    slow: false,
    reason,
    durationMs: Math.round(performance.now() - started),
  });
  if (context.signal.aborted) return finish('probe cancelled before it finished');
  // A short first try leaves room for c-ares to retry a lost UDP packet within the probe's time.
  const resolver = new Resolver({ timeout: Math.max(100, Math.floor(spec.timeoutMs / 4)), tries: 4 });
  try {
    if (spec.resolver !== null) resolver.setServers([spec.resolver]);
  } catch (error) {
    return finish(`invalid resolver address "${spec.resolver}": ${messageOf(error)}; use ip or ip:port`);
  }
  let stopped: string | null = null;
  const stop = (why: string) => {
    stopped = why;
    resolver.cancel();
  };
  const timer = setTimeout(
    () =>
      stop(`timed out after ${spec.timeoutMs} ms resolving ${spec.name} ${spec.recordType} via ${via(spec)}`),
    spec.timeoutMs,
  );
  const cancel = () => stop('probe cancelled before it finished');
  context.signal.addEventListener('abort', cancel, { once: true });
  try {
    return finish(judgeAnswers(spec, await QUERIES[spec.recordType](resolver, spec.name)));
  } catch (error) {
    return finish(stopped ?? queryFailure(error, spec));
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', cancel);
  }
}

type Query = (resolver: Resolver, name: string) => Promise<string[]>;

const QUERIES: Readonly<Record<DnsRecordType, Query>> = {
  A: (resolver, name) => resolver.resolve4(name),
  AAAA: (resolver, name) => resolver.resolve6(name),
  CNAME: (resolver, name) => resolver.resolveCname(name),
  NS: (resolver, name) => resolver.resolveNs(name),
  PTR: (resolver, name) => resolver.resolvePtr(name),
  MX: async (resolver, name) => (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
  TXT: async (resolver, name) => (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')),
  SRV: async (resolver, name) =>
    (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`),
  SOA: async (resolver, name) => {
    const soa = await resolver.resolveSoa(name);
    return [`${soa.nsname} ${soa.hostmaster} ${soa.serial}`];
  },
  CAA: async (resolver, name) => (await resolver.resolveCaa(name)).map(caaText),
};

const CAA_TAGS = ['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone'] as const;

function caaText(record: CaaRecord): string {
  const tag = CAA_TAGS.find((key) => record[key] !== undefined) ?? 'issue';
  return `${record.critical} ${tag} "${record[tag] ?? ''}"`;
}

/** The failure reason for a set of answers, or null when they satisfy the spec. */
function judgeAnswers(spec: DnsSpec, answers: readonly string[]): string | null {
  if (answers.length === 0) return `no ${spec.recordType} records for ${spec.name}`;
  const present = new Set(answers.map((answer) => comparable(spec.recordType, answer)));
  const missing = spec.expectAnswers.filter(
    (expected) => !present.has(comparable(spec.recordType, expected)),
  );
  if (missing.length === 0) return null;
  return `expected ${listOf(missing)} among the ${spec.recordType} answers, got ${shown(answers)}`;
}

// Names compare case-insensitively and with or without the root dot; TXT and CAA values are compared as is.
function comparable(type: DnsRecordType, value: string): string {
  if (type === 'TXT' || type === 'CAA') return value;
  if (type === 'AAAA') {
    try {
      return new URL(`http://[${value.trim()}]/`).hostname;
    } catch {
      return value.trim().toLowerCase();
    }
  }
  return value
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((token) => token.replace(/\.$/, ''))
    .join(' ');
}

function listOf(items: readonly string[]): string {
  return items.length === 1 ? `${items[0]}` : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// Long TXT records (SPF, DKIM) and large answer sets would swamp the reason; show enough to act on.
function shown(answers: readonly string[]): string {
  const clipped = answers
    .slice(0, 5)
    .map((answer) => (answer.length > 80 ? `${answer.slice(0, 79)}…` : answer));
  return answers.length > 5 ? `${clipped.join(', ')} and ${answers.length - 5} more` : clipped.join(', ');
}

function via(spec: DnsSpec): string {
  return spec.resolver === null ? 'the system resolvers' : `resolver ${spec.resolver}`;
}

function queryFailure(error: unknown, spec: DnsSpec): string {
  const code = (error as { code?: unknown } | null)?.code;
  const query = `${spec.name} ${spec.recordType}`;
  switch (code) {
    case 'ENODATA':
      return `no ${spec.recordType} records for ${spec.name} (ENODATA)`;
    case 'ENOTFOUND':
      return `NXDOMAIN: ${spec.name} does not exist`;
    case 'ESERVFAIL':
      return `${via(spec)} answered SERVFAIL for ${query} (ESERVFAIL)`;
    case 'EREFUSED':
      return `${via(spec)} refused the query for ${query} (EREFUSED)`;
    case 'ETIMEOUT':
      return `no answer from ${via(spec)} for ${query} (ETIMEOUT)`;
    case 'ECONNREFUSED':
      return `could not reach ${via(spec)} (ECONNREFUSED)`;
    case 'EBADNAME':
      return `"${spec.name}" is not a valid DNS name (EBADNAME)`;
    default:
      return `DNS query for ${query} via ${via(spec)} failed (${String(code ?? 'no error code')}): ${messageOf(error)}`;
  }
}
