import { z } from 'zod';
import { PING_DEFAULTS, pingSpec } from '../../checks/ping-spec.js';
import { formatDuration } from '../duration.js';
import { defineKind } from '../monitor-kind.js';
import { duration, INTERVAL_LIMITS } from '../schema-parts.js';
import { host } from './host-fields.js';

/** `type: ping` — ICMP echo through the system ping binary (see checks/ping-check.ts). */
export const pingKind = defineKind({
  type: 'ping',
  fields: {
    host,
    count: z.int().min(1).max(10).nullish(),
    expect: z
      .strictObject({ max_latency: duration('max_latency', 1, INTERVAL_LIMITS.maxMs).nullish() })
      .nullish(),
  },
  toSpec(m, timeoutMs, ctx) {
    const count = m.count ?? PING_DEFAULTS.count;
    if (timeoutMs <= count * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: `${count} pings go out a second apart, so the timeout ${formatDuration(timeoutMs)} is too short — use a timeout above ${count}s or fewer pings`,
      });
    }
    return pingSpec(m.host, { count, timeoutMs, maxLatencyMs: m.expect?.max_latency ?? null });
  },
  toFile: (spec) => ({
    host: spec.host,
    count: spec.count === PING_DEFAULTS.count ? null : spec.count,
    expect: { max_latency: spec.maxLatencyMs === null ? null : formatDuration(spec.maxLatencyMs) },
  }),
  fromStored: (stored, timeoutMs) => pingSpec(String(stored.host ?? ''), { ...stored, timeoutMs }),
});
