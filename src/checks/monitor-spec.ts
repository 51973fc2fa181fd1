import type { HttpSpec } from './http-spec.js';

/**
 * Every probe kind's settings, tagged by monitor type; stored as monitors.type and
 * monitors.spec (JSON). A new kind is one more member here, one probe file and one
 * config kind file.
 */
export type MonitorSpec = { readonly type: 'http'; readonly spec: HttpSpec };

export type MonitorType = MonitorSpec['type'];

/** The spec type of one monitor type. */
export type SpecOf<T extends MonitorType> = Extract<MonitorSpec, { type: T }>['spec'];
