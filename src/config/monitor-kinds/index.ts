import type { MonitorType } from '../../checks/monitor-spec.js';
import type { MonitorKind } from '../monitor-kind.js';
import { httpKind } from './http-kind.js';

/** Every monitor type config as code knows, by type. A new type is one file and one line here. */
export const MONITOR_KINDS: { readonly [T in MonitorType]: MonitorKind<T> } = {
  http: httpKind as unknown as MonitorKind<'http'>,
};
