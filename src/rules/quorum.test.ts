import { describe, expect, it } from 'vitest';
import type { MonitorStatus } from './monitor-state.js';
import { quorumStatus } from './quorum.js';

describe('quorumStatus', () => {
  const table: ReadonlyArray<[string, readonly MonitorStatus[], number, MonitorStatus]> = [
    ['one location failing of three does not reach a quorum of two', ['down', 'up', 'up'], 2, 'up'],
    ['two locations failing of three reach a quorum of two', ['down', 'down', 'up'], 2, 'down'],
    [
      'a quorum of failing locations that are partly only slow is degraded',
      ['down', 'degraded', 'up'],
      2,
      'degraded',
    ],
    ['a quorum of one follows any failing location', ['up', 'down'], 1, 'down'],
    ['stays unknown until some location has a verdict', ['unknown', 'unknown'], 1, 'unknown'],
    ['counts locations without a verdict as not failing', ['down', 'unknown', 'unknown'], 2, 'up'],
    ['a single location is its own verdict', ['degraded'], 1, 'degraded'],
  ];
  it.each(table)('%s', (_name, statuses, quorum, expected) => {
    expect(quorumStatus(statuses, quorum)).toBe(expected);
  });
});
