import type { BrowserSpec } from './browser-spec.js';
import type { DnsSpec } from './dns-spec.js';
import type { HeartbeatSpec } from './heartbeat-spec.js';
import type { HttpSpec } from './http-spec.js';
import type { MultiStepSpec } from './multi-step-spec.js';
import type { PingSpec } from './ping-spec.js';
import type { TcpSpec } from './tcp-spec.js';
import type { TlsSpec } from './tls-spec.js';

/**
 * Every probe kind's settings, tagged by monitor type; stored as monitors.type and
 * monitors.spec (JSON). A new kind is one more member here, one probe file and one
 * config kind file.
 */
export type MonitorSpec =
  | { readonly type: 'http'; readonly spec: HttpSpec }
  | { readonly type: 'multi_step'; readonly spec: MultiStepSpec }
  | { readonly type: 'tcp'; readonly spec: TcpSpec }
  | { readonly type: 'tls'; readonly spec: TlsSpec }
  | { readonly type: 'dns'; readonly spec: DnsSpec }
  | { readonly type: 'ping'; readonly spec: PingSpec }
  | { readonly type: 'heartbeat'; readonly spec: HeartbeatSpec }
  | { readonly type: 'browser'; readonly spec: BrowserSpec };

export type MonitorType = MonitorSpec['type'];

/** The spec type of one monitor type. */
export type SpecOf<T extends MonitorType> = Extract<MonitorSpec, { type: T }>['spec'];
