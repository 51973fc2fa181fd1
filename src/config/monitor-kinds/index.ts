import type { MonitorType } from '../../checks/monitor-spec.js';
import type { MonitorKind } from '../monitor-kind.js';
import { browserKind } from './browser-kind.js';
import { dnsKind } from './dns-kind.js';
import { heartbeatKind } from './heartbeat-kind.js';
import { httpKind } from './http-kind.js';
import { multiStepKind } from './multi-step-kind.js';
import { pingKind } from './ping-kind.js';
import { tcpKind } from './tcp-kind.js';
import { tlsKind } from './tls-kind.js';

/** Every monitor type config as code knows, by type. A new type is one file and one line here. */
export const MONITOR_KINDS: { readonly [T in MonitorType]: MonitorKind<T> } = {
  http: httpKind as unknown as MonitorKind<'http'>,
  multi_step: multiStepKind as unknown as MonitorKind<'multi_step'>,
  tcp: tcpKind as unknown as MonitorKind<'tcp'>,
  tls: tlsKind as unknown as MonitorKind<'tls'>,
  dns: dnsKind as unknown as MonitorKind<'dns'>,
  ping: pingKind as unknown as MonitorKind<'ping'>,
  heartbeat: heartbeatKind as unknown as MonitorKind<'heartbeat'>,
  browser: browserKind as unknown as MonitorKind<'browser'>,
};
