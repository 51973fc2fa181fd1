import { z } from 'zod';
import {
  DEFAULT_MAX_BODY_BYTES,
  type GenericMapping,
  INTEGRATION_KINDS,
  type IntegrationKind,
  type IntegrationSettings,
  MAX_BODY_BYTES_LIMIT,
} from '../ingest/integration-settings.js';
import { severity } from './alerting-schema.js';
import { compact, describeValue, jsonPath, label, SLUG_PATTERN, slug } from './schema-parts.js';

/** An inbound integration of config as code; its secret token is made on apply and never in the file. */
export interface IntegrationConfig {
  readonly key: string;
  readonly name: string;
  readonly kind: IntegrationKind;
  readonly settings: IntegrationSettings;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const MIN_BODY_BYTES = KIB;
const SIZE = /^(\d+)(B|KiB|MiB)?$/;
const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KiB: KIB, MiB: MIB };

/** `max_body`: bytes as a number, or text with a unit (`64KiB`, `1MiB`); 1 KiB to 1 MiB. */
const bodySize = z.unknown().transform((value, ctx): number => {
  const how = 'write bytes as a number (65536) or with a unit: 64KiB, 1MiB';
  const match = typeof value === 'string' ? SIZE.exec(value) : null;
  const bytes =
    typeof value === 'number' ? value : match ? Number(match[1]) * SIZE_UNITS[match[2] ?? 'B']! : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    ctx.addIssue({ code: 'custom', message: `invalid size ${describeValue(value)} — ${how}` });
    return z.NEVER;
  }
  if (bytes < MIN_BODY_BYTES || bytes > MAX_BODY_BYTES_LIMIT) {
    const range = `use between ${formatSize(MIN_BODY_BYTES)} and ${formatSize(MAX_BODY_BYTES_LIMIT)}`;
    ctx.addIssue({ code: 'custom', message: `max_body ${formatSize(bytes)} is out of range — ${range}` });
    return z.NEVER;
  }
  return bytes;
});

const componentRef = z.string().refine((value) => isComponentRef(value), {
  error: (issue) =>
    `invalid component ref ${describeValue(issue.input)} — write <community slug>/<component key> or shared/<key>, e.g. pangeo/hub`,
});

/** YAML names of the mapped signal fields → GenericMapping.fields names. */
const MAPPED_FIELDS = {
  type: 'type',
  dedup_key: 'dedupKey',
  status: 'status',
  community: 'community',
  component: 'component',
  severity: 'severity',
  summary: 'summary',
  details: 'details',
  labels: 'labels',
  occurred_at: 'occurredAt',
} as const satisfies Readonly<Record<string, keyof GenericMapping['fields']>>;

const mappingSchema = z
  .strictObject({
    events: jsonPath.nullish(),
    ...(Object.fromEntries(Object.keys(MAPPED_FIELDS).map((name) => [name, jsonPath.nullish()])) as Record<
      keyof typeof MAPPED_FIELDS,
      z.ZodOptional<z.ZodNullable<typeof jsonPath>>
    >),
    status_map: z.record(z.string(), z.enum(['problem', 'ok'])).nullish(),
    severity_map: z.record(z.string(), severity).nullish(),
  })
  .transform((m): GenericMapping => {
    const fields: Record<string, string> = {};
    for (const [name, field] of Object.entries(MAPPED_FIELDS)) {
      const path = m[name as keyof typeof MAPPED_FIELDS];
      if (path != null) fields[field] = path;
    }
    return {
      eventsPath: m.events ?? null,
      fields,
      statusMap: m.status_map ?? {},
      severityMap: m.severity_map ?? {},
    };
  });

/** One entry of the file's `integrations:` list, validated and turned into an IntegrationConfig. */
export const integrationSchema = z
  .strictObject({
    key: slug('integration key'),
    name: label.nullish(),
    kind: z.enum(INTEGRATION_KINDS),
    defaults: z
      .strictObject({
        community: slug('community slug').nullish(),
        component: componentRef.nullish(),
        severity: severity.nullish(),
      })
      .nullish(),
    max_body: bodySize.nullish(),
    mapping: mappingSchema.nullish(),
  })
  .transform((i, ctx): IntegrationConfig => {
    if (i.mapping != null && i.kind !== 'generic') {
      ctx.addIssue({
        code: 'custom',
        path: ['mapping'],
        message: `mapping applies to kind generic only (${i.kind} bodies have a fixed shape) — remove it or use kind: generic`,
      });
    }
    return {
      key: i.key,
      name: i.name ?? i.key,
      kind: i.kind,
      settings: {
        defaults: {
          community: i.defaults?.community ?? null,
          component: i.defaults?.component ?? null,
          severity: i.defaults?.severity ?? null,
        },
        maxBodyBytes: i.max_body ?? DEFAULT_MAX_BODY_BYTES,
        mapping: i.mapping ?? null,
      },
    };
  });

/** An integration as its YAML map, defaults left out; integrationSchema reads it back to an equal one. */
export function integrationToFile(integration: IntegrationConfig): Record<string, unknown> {
  const { defaults, maxBodyBytes, mapping } = integration.settings;
  const writtenDefaults = compact({ ...defaults });
  return compact({
    key: integration.key,
    name: integration.name === integration.key ? null : integration.name,
    kind: integration.kind,
    defaults: Object.keys(writtenDefaults).length > 0 ? writtenDefaults : null,
    max_body: maxBodyBytes === DEFAULT_MAX_BODY_BYTES ? null : formatSize(maxBodyBytes),
    mapping: mapping === null ? null : mappingToFile(mapping),
  });
}

function mappingToFile(mapping: GenericMapping): Record<string, unknown> {
  const fields = mapping.fields as Readonly<Record<string, string | undefined>>;
  return compact({
    events: mapping.eventsPath,
    ...Object.fromEntries(
      Object.entries(MAPPED_FIELDS).map(([name, field]) => [name, fields[field] ?? null]),
    ),
    status_map: Object.keys(mapping.statusMap).length > 0 ? mapping.statusMap : null,
    severity_map: Object.keys(mapping.severityMap).length > 0 ? mapping.severityMap : null,
  });
}

/** `<slug>/<key>` or `shared/<key>`: the shape of a component ref (whether it exists is checked later). */
function isComponentRef(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && parts.every((part) => SLUG_PATTERN.test(part));
}

/** `1MiB`, `256KiB`, or bytes as a number when neither unit is exact. */
function formatSize(bytes: number): number | string {
  if (bytes > 0 && bytes % MIB === 0) return `${bytes / MIB}MiB`;
  if (bytes > 0 && bytes % KIB === 0) return `${bytes / KIB}KiB`;
  return bytes;
}
