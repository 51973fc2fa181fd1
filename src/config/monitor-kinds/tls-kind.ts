import { z } from 'zod';
import { TLS_DEFAULTS, tlsSpec } from '../../checks/tls-spec.js';
import { formatDuration } from '../duration.js';
import { defineKind } from '../monitor-kind.js';
import { duration } from '../schema-parts.js';
import { host, port } from './host-fields.js';

const pem = z.string().refine((value) => value.includes('-----BEGIN CERTIFICATE-----'), {
  error: 'ca_pem must hold a PEM certificate (-----BEGIN CERTIFICATE----- …)',
});

/** `type: tls` — the handshake succeeds, the chain is trusted, and nothing expires within warn_before. */
export const tlsKind = defineKind({
  type: 'tls',
  fields: {
    host,
    port: port.nullish(),
    servername: z.string().min(1).nullish(),
    warn_before: duration('warn_before', 0, 365 * 86_400_000).nullish(),
    verify: z.boolean().nullish(),
    ca_pem: pem.nullish(),
  },
  toSpec: (m, timeoutMs) =>
    tlsSpec(m.host, {
      port: m.port ?? TLS_DEFAULTS.port,
      servername: m.servername ?? null,
      timeoutMs,
      warnBeforeMs: m.warn_before ?? TLS_DEFAULTS.warnBeforeMs,
      rejectUnauthorized: m.verify ?? true,
      caPem: m.ca_pem ?? null,
    }),
  toFile: (spec) => ({
    host: spec.host,
    port: spec.port === TLS_DEFAULTS.port ? null : spec.port,
    servername: spec.servername,
    warn_before: spec.warnBeforeMs === TLS_DEFAULTS.warnBeforeMs ? null : formatDuration(spec.warnBeforeMs),
    verify: spec.rejectUnauthorized ? null : false,
    ca_pem: spec.caPem,
  }),
  fromStored: (stored, timeoutMs) => tlsSpec(String(stored.host ?? ''), { ...stored, timeoutMs }),
});
