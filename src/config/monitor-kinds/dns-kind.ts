import { z } from 'zod';
import { type DnsRecordType, dnsSpec } from '../../checks/dns-spec.js';
import { defineKind } from '../monitor-kind.js';
import { describeValue } from '../schema-parts.js';
import { dnsName } from './host-fields.js';

const RECORD_TYPES = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'TXT',
  'NS',
  'SOA',
  'SRV',
  'CAA',
  'PTR',
] as const satisfies readonly DnsRecordType[];
const RESOLVER = /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9A-Fa-f:]+\](:\d{1,5})?|[0-9A-Fa-f:]+)$/;

/** `type: dns` — `query` has records of `record_type` at the resolver, including every expected answer. */
export const dnsKind = defineKind({
  type: 'dns',
  fields: {
    query: dnsName,
    record_type: z.enum(RECORD_TYPES).nullish(),
    resolver: z
      .string()
      .refine((value) => RESOLVER.test(value), {
        error: (issue) =>
          `invalid resolver ${describeValue(issue.input)} — write an IP address, optionally with a port: 1.1.1.1, 10.0.0.2:5353 or [2606:4700::1111]:53`,
      })
      .nullish(),
    expect: z.strictObject({ answers: z.array(z.string().min(1)).nullish() }).nullish(),
  },
  toSpec: (m, timeoutMs) =>
    dnsSpec(m.query, {
      recordType: m.record_type ?? 'A',
      resolver: m.resolver ?? null,
      expectAnswers: m.expect?.answers ?? [],
      timeoutMs,
    }),
  toFile: (spec) => ({
    query: spec.name,
    record_type: spec.recordType === 'A' ? null : spec.recordType,
    resolver: spec.resolver,
    expect: { answers: spec.expectAnswers },
  }),
  fromStored: (stored, timeoutMs) => dnsSpec(String(stored.name ?? ''), { ...stored, timeoutMs }),
});
