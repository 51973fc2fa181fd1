import { z } from 'zod';
import { tcpSpec } from '../../checks/tcp-spec.js';
import { formatDuration } from '../duration.js';
import { defineKind } from '../monitor-kind.js';
import { duration, INTERVAL_LIMITS } from '../schema-parts.js';
import { host, port } from './host-fields.js';

/** `type: tcp` — a TCP connection opens (and optionally fast enough). */
export const tcpKind = defineKind({
  type: 'tcp',
  fields: {
    host,
    port,
    expect: z
      .strictObject({ max_latency: duration('max_latency', 1, INTERVAL_LIMITS.maxMs).nullish() })
      .nullish(),
  },
  toSpec: (m, timeoutMs) =>
    tcpSpec(m.host, m.port, { timeoutMs, maxLatencyMs: m.expect?.max_latency ?? null }),
  toFile: (spec) => ({
    host: spec.host,
    port: spec.port,
    expect: { max_latency: spec.maxLatencyMs === null ? null : formatDuration(spec.maxLatencyMs) },
  }),
  fromStored: (stored, timeoutMs) =>
    tcpSpec(String(stored.host ?? ''), Number(stored.port ?? 0), { ...stored, timeoutMs }),
});
