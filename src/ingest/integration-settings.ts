import type { Severity } from '../rules/signal.js';

/** The senders Firewatch takes webhooks from. */
export const INTEGRATION_KINDS = ['alertmanager', 'grafana', 'generic'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/**
 * Where a generic integration finds each signal field in a JSON body of another shape.
 * Every path is a JSON path (checks/json-path.ts) relative to one event.
 */
export interface GenericMapping {
  /** Path to the list of events in the body; null = the body is one event, or a list of events. */
  readonly eventsPath: string | null;
  readonly fields: {
    readonly type?: string;
    readonly dedupKey?: string;
    readonly status?: string;
    readonly community?: string;
    readonly component?: string;
    readonly severity?: string;
    readonly summary?: string;
    readonly details?: string;
    readonly labels?: string;
    readonly occurredAt?: string;
  };
  /** The sender's status words → problem/ok, on top of the built-in ones (firing, resolved, …). */
  readonly statusMap: Readonly<Record<string, 'problem' | 'ok'>>;
  /** The sender's severity words → P1–P4, on top of the built-in ones (critical, warning, …). */
  readonly severityMap: Readonly<Record<string, Severity>>;
}

/** An integration's settings, stored as JSON in integrations.settings. */
export interface IntegrationSettings {
  /** Used where a signal names no community / component / severity. */
  readonly defaults: {
    readonly community: string | null;
    readonly component: string | null;
    readonly severity: Severity | null;
  };
  /** Largest request body taken, in bytes (default 256 KiB; at most 1 MiB). */
  readonly maxBodyBytes: number;
  /** Generic integrations only: how to read bodies that are not in Firewatch's own event shape. */
  readonly mapping: GenericMapping | null;
}

export const DEFAULT_MAX_BODY_BYTES = 262_144;
export const MAX_BODY_BYTES_LIMIT = 1_048_576;

/** A body that cannot be taken in: where (a path into the body) and what is wrong, with the fix. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  /** Path into the body, e.g. `alerts[2].labels`; empty for the body as a whole. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
