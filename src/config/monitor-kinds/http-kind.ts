import { httpSpec } from '../../checks/http-spec.js';
import { defineKind } from '../monitor-kind.js';
import { httpUrl } from '../schema-parts.js';
import { HTTP_REQUEST_FIELDS, httpSpecToFile, toHttpSpec } from './http-request-fields.js';

/** `type: http` — one request, assertions on status, body, JSON and latency. */
export const httpKind = defineKind({
  type: 'http',
  fields: { url: httpUrl, ...HTTP_REQUEST_FIELDS },
  toSpec: (m, timeoutMs, ctx) => toHttpSpec(m.url, m, timeoutMs, ctx),
  toFile: (spec) => httpSpecToFile(spec),
  fromStored: (stored, timeoutMs) => httpSpec(String(stored.url ?? ''), { ...stored, timeoutMs }),
});
