/** The fields of Firewatch's own event shape. */
export const GENERIC_EVENT_FIELDS = [
  'type',
  'dedup_key',
  'status',
  'source',
  'community',
  'component',
  'severity',
  'summary',
  'details',
  'labels',
  'occurred_at',
] as const;
/** One of GENERIC_EVENT_FIELDS. */
export type EventField = (typeof GENERIC_EVENT_FIELDS)[number];

/** One field as read from one event: its value (undefined when absent) and where it is in the body. */
export interface RawField {
  readonly name: EventField;
  readonly value: unknown;
  readonly field: string;
  /** The mapping's JSON path it was read through; null for Firewatch's own shape. */
  readonly mappedFrom: string | null;
}

/** One event of a body, read field by field (own shape or through a mapping). */
export type ReadField = (name: EventField) => RawField;
