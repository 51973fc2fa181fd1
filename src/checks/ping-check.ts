/**
 * The ICMP probe. Sending ICMP echo needs a raw socket (root or CAP_NET_RAW) or an ICMP datagram socket
 * (net.ipv4.ping_group_range), and Firewatch should run as neither root nor with extra capabilities. So it
 * runs the system `ping` binary (iputils, installed with the capability on Debian) through execFile, never a
 * shell: `ping -n -c COUNT -W SECS [-w SECS] -4|-6 ADDRESS`, with LC_ALL=C so the summary is parseable, killed
 * when the probe times out or is cancelled. Packet loss and the average round trip come from its summary.
 * The host is resolved through context.lookup first, so the network policy applies, and the resolved address
 * is pinged: ping never resolves a name itself.
 */
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import type { CheckOutcome } from './check-outcome.js';
import { PRIVATE_TARGET_CODE } from './guarded-lookup.js';
import { messageOf } from './message-of.js';
import type { ProbeContext } from './network-policy.js';
import type { PingSpec } from './ping-spec.js';

/** The edges of one ping probe: the binary to run (default `ping` on PATH). */
export interface PingCheckOptions {
  readonly binary?: string;
}

type Verdict = Omit<CheckOutcome, 'durationMs'>;

/**
 * Pings spec.host spec.count times. Never throws: a lookup failure or policy refusal, total packet loss
 * ("100% packet loss to 10.0.0.1"), a missing ping binary, a ping error, a timeout (spec.timeoutMs over the
 * whole probe) and a cancellation through context.signal become a failed outcome; an average round trip over
 * spec.maxLatencyMs is `slow`. Partial loss still passes: the host is up.
 */
export function runPingCheck(
  spec: PingSpec,
  context: ProbeContext,
  options: PingCheckOptions = {},
): Promise<CheckOutcome> {
  const binary = options.binary ?? 'ping';
  const started = performance.now();
  return new Promise((resolve) => {
    const kill = new AbortController();
    let pinging: string | null = null;
    let settled = false;
    const finish = (verdict: Verdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      context.signal.removeEventListener('abort', cancel);
      kill.abort();
      resolve({ ...verdict, durationMs: Math.round(performance.now() - started) });
    };
    const fail = (reason: string) => finish({ ok: false, slow: false, reason });
    const timer = setTimeout(() => {
      const stage = pinging === null ? `resolving ${spec.host}` : `pinging ${pinging}`;
      fail(`timed out after ${spec.timeoutMs} ms ${stage}`);
    }, spec.timeoutMs);
    const cancel = () => fail('probe cancelled before it finished');
    if (context.signal.aborted) return cancel();
    context.signal.addEventListener('abort', cancel, { once: true });

    context.lookup(spec.host, { all: true }, (error, found) => {
      if (settled) return;
      const address = typeof found === 'string' ? found : found?.[0]?.address;
      if (error || address === undefined) return fail(lookupFailure(error, spec.host));
      pinging = address === spec.host ? address : `${spec.host} (${address})`;
      const target = pinging;
      execFile(
        binary,
        pingArguments(spec, address),
        { signal: kill.signal, env: { ...process.env, LC_ALL: 'C' }, windowsHide: true },
        (failure, stdout, stderr) => finish(judgePing(spec, target, binary, failure, stdout, stderr)),
      );
    });
  });
}

function pingArguments(spec: PingSpec, address: string): string[] {
  const count = Math.max(1, Math.floor(spec.count));
  // ping's own deadline ends it, summary printed, a little before the probe's timer would kill it.
  const deadlineSeconds = Math.floor((spec.timeoutMs - 250) / 1000);
  const wait = String(Math.max(1, deadlineSeconds));
  const deadline = deadlineSeconds >= 1 ? ['-w', String(deadlineSeconds)] : [];
  return ['-n', '-c', String(count), '-W', wait, ...deadline, isIP(address) === 6 ? '-6' : '-4', address];
}

function judgePing(
  spec: PingSpec,
  target: string,
  binary: string,
  failure: (Error & { code?: unknown }) | null,
  stdout: string,
  stderr: string,
): Verdict {
  if (failure?.code === 'ENOENT') {
    return failed(`${binary} is not installed: install iputils-ping (apt-get install iputils-ping)`);
  }
  const received = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout)?.[2];
  if (received === undefined) return failed(pingFailure(target, failure, stderr || stdout));
  if (Number(received) === 0) return failed(`100% packet loss to ${target}`);
  const average = /= [\d.]+\/([\d.]+)\//.exec(stdout)?.[1];
  if (spec.maxLatencyMs !== null && average !== undefined && Number(average) > spec.maxLatencyMs) {
    return {
      ok: false,
      slow: true,
      reason: `average round trip ${average} ms to ${target}, limit ${spec.maxLatencyMs} ms`,
    };
  }
  return { ok: true, slow: false, reason: null };
}

function pingFailure(target: string, failure: (Error & { code?: unknown }) | null, output: string): string {
  const said = output.trim().split('\n')[0] ?? '';
  const exit =
    typeof failure?.code === 'number' ? `exit ${failure.code}` : `${failure?.code ?? 'no summary'}`;
  const detail = said || (failure ? messageOf(failure) : 'no output');
  const hint = /not permitted|permission denied/i.test(said)
    ? '; give ping the capability (setcap cap_net_raw+p "$(command -v ping)") or allow ICMP sockets (sysctl net.ipv4.ping_group_range)'
    : '';
  return `ping to ${target} failed (${exit}): ${detail}${hint}`;
}

function lookupFailure(error: NodeJS.ErrnoException | null, host: string): string {
  if (error === null) return `lookup of ${host} returned no address`;
  if (error.code === PRIVATE_TARGET_CODE) return error.message;
  if (error.code === 'ENOTFOUND') return `host not found (ENOTFOUND): ${host}`;
  return `lookup of ${host} failed (${error.code ?? 'no error code'}): ${messageOf(error)}`;
}

function failed(reason: string): Verdict {
  return { ok: false, slow: false, reason };
}
