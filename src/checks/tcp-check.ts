import { connect, isIP, type Socket } from 'node:net';
import type { CheckOutcome } from './check-outcome.js';
import { messageOf } from './message-of.js';
import { networkErrorReason } from './network-error-reason.js';
import type { ProbeContext } from './network-policy.js';
import type { TcpSpec } from './tcp-spec.js';

/**
 * Opens a TCP connection to spec.host:spec.port and closes it at once. Never throws: a refused or failed
 * connect ("connection refused (ECONNREFUSED) to 127.0.0.1:9"), a target refused by the network policy, a
 * timeout (spec.timeoutMs over resolution and connect) and a cancellation through context.signal become a
 * failed outcome; a connect slower than spec.maxLatencyMs is `slow`. durationMs covers the whole probe.
 */
export function runTcpCheck(spec: TcpSpec, context: ProbeContext): Promise<CheckOutcome> {
  const started = performance.now();
  const target = targetOf(spec.host, spec.port);
  return new Promise((resolve) => {
    let socket: Socket | undefined;
    let settled = false;
    const finish = (outcome: Omit<CheckOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      context.signal.removeEventListener('abort', cancel);
      socket?.destroy();
      resolve({ ...outcome, durationMs: Math.round(performance.now() - started) });
    };
    const fail = (reason: string) => finish({ ok: false, slow: false, reason });
    const timer = setTimeout(
      () => fail(`timed out after ${spec.timeoutMs} ms connecting to ${target}`),
      spec.timeoutMs,
    );
    const cancel = () => fail('probe cancelled before it finished');
    if (context.signal.aborted) return cancel();
    context.signal.addEventListener('abort', cancel, { once: true });

    const open = () => {
      if (settled) return;
      socket = connect({ host: spec.host, port: spec.port, lookup: context.lookup });
      socket.on('error', (error) => fail(connectFailure(error, target)));
      socket.once('connect', () => {
        const connectMs = Math.round(performance.now() - started);
        const tooSlow = spec.maxLatencyMs !== null && connectMs > spec.maxLatencyMs;
        const reason = tooSlow ? `connect took ${connectMs} ms, limit ${spec.maxLatencyMs} ms` : null;
        finish({ ok: !tooSlow, slow: tooSlow, reason });
      });
    };
    // net.connect skips `lookup` for an IP literal, so the policy guard is asked explicitly first.
    if (isIP(spec.host) === 0) {
      open();
    } else {
      context.lookup(spec.host, { all: true }, (error) => {
        if (error) fail(connectFailure(error, target));
        else open();
      });
    }
  });
}

function connectFailure(error: unknown, target: string): string {
  try {
    return networkErrorReason(error, new URL(`tcp://${target}`));
  } catch {
    return `connect to ${target} failed: ${messageOf(error)}`;
  }
}

function targetOf(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
