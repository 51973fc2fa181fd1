import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPORT_LIMITS,
  type DetectionFacts,
  decideIntake,
  detectionAfterReport,
  hashReportAddress,
  isHoneypotFilled,
  limitSentence,
  readReportSubmission,
  resolveReportComponent,
} from './community-report.js';

const MIN = 60_000;
const T = Date.parse('2026-06-01T12:00:00Z');

describe('detectionAfterReport', () => {
  const facts = (overrides: Partial<DetectionFacts>): DetectionFacts => ({
    detectionSource: 'monitoring',
    detectedAt: T,
    firstReportAt: null,
    leadTimeMs: null,
    ...overrides,
  });

  it.each([
    {
      case: 'monitoring first: lead time is how much earlier monitoring was',
      before: facts({}),
      reportAt: T + 12 * MIN,
      after: facts({ firstReportAt: T + 12 * MIN, leadTimeMs: 12 * MIN }),
    },
    {
      case: 'a report at the detection instant: monitoring keeps it with zero lead',
      before: facts({}),
      reportAt: T,
      after: facts({ firstReportAt: T, leadTimeMs: 0 }),
    },
    {
      case: 'a later report leaves first report and lead time alone',
      before: facts({ firstReportAt: T + 5 * MIN, leadTimeMs: 5 * MIN }),
      reportAt: T + 30 * MIN,
      after: facts({ firstReportAt: T + 5 * MIN, leadTimeMs: 5 * MIN }),
    },
    {
      case: 'an earlier report linked later moves the first report and the lead time back',
      before: facts({ firstReportAt: T + 5 * MIN, leadTimeMs: 5 * MIN }),
      reportAt: T + 2 * MIN,
      after: facts({ firstReportAt: T + 2 * MIN, leadTimeMs: 2 * MIN }),
    },
    {
      case: 'a report older than detection: the community found it first, lead negative, detected_at stays',
      before: facts({}),
      reportAt: T - 15 * MIN,
      after: facts({ detectionSource: 'community', firstReportAt: T - 15 * MIN, leadTimeMs: -15 * MIN }),
    },
    {
      case: 'an even older report deepens the negative lead',
      before: facts({ detectionSource: 'community', firstReportAt: T - 5 * MIN, leadTimeMs: -5 * MIN }),
      reportAt: T - 9 * MIN,
      after: facts({ detectionSource: 'community', firstReportAt: T - 9 * MIN, leadTimeMs: -9 * MIN }),
    },
    {
      case: 'a manual incident gets no positive lead time',
      before: facts({ detectionSource: 'manual' }),
      reportAt: T + 3 * MIN,
      after: facts({ detectionSource: 'manual', firstReportAt: T + 3 * MIN }),
    },
    {
      case: 'a manual incident the community reported earlier becomes community-detected',
      before: facts({ detectionSource: 'manual' }),
      reportAt: T - 3 * MIN,
      after: facts({ detectionSource: 'community', firstReportAt: T - 3 * MIN, leadTimeMs: -3 * MIN }),
    },
    {
      case: 'an incident opened from a report keeps a null lead time',
      before: facts({ detectionSource: 'community' }),
      reportAt: T,
      after: facts({ detectionSource: 'community', firstReportAt: T }),
    },
    {
      case: 'an incident opened from a report stays without lead time when an older report joins',
      before: facts({ detectionSource: 'community', firstReportAt: T }),
      reportAt: T - 4 * MIN,
      after: facts({ detectionSource: 'community', firstReportAt: T - 4 * MIN }),
    },
  ])('$case', ({ before, reportAt, after }) => {
    expect(detectionAfterReport(before, reportAt)).toEqual(after);
  });
});

describe('decideIntake', () => {
  const none = { count: 0, oldestAt: null };

  it('accepts while both windows have room', () => {
    expect(
      decideIntake({ address: { count: 4, oldestAt: T }, community: none }, DEFAULT_REPORT_LIMITS, T),
    ).toEqual({
      accept: true,
    });
  });

  it('refuses the sixth report from one address until the oldest leaves the hour', () => {
    const decision = decideIntake(
      { address: { count: 5, oldestAt: T - 40 * MIN }, community: { count: 60, oldestAt: T } },
      DEFAULT_REPORT_LIMITS,
      T,
    );
    expect(decision).toEqual({ accept: false, limit: 'address', retryAfterMs: 20 * MIN });
  });

  it('refuses when the community is flooded, whoever sends', () => {
    const decision = decideIntake(
      { address: none, community: { count: 60, oldestAt: T - 9 * MIN } },
      DEFAULT_REPORT_LIMITS,
      T,
    );
    expect(decision).toEqual({ accept: false, limit: 'community', retryAfterMs: MIN });
  });

  it('never asks to retry in less than a second', () => {
    const decision = decideIntake(
      { address: { count: 5, oldestAt: T - 60 * MIN + 10 }, community: none },
      DEFAULT_REPORT_LIMITS,
      T,
    );
    expect(decision).toMatchObject({ retryAfterMs: 1_000 });
  });

  it('says how long to wait in whole minutes', () => {
    expect(limitSentence('address', 20 * MIN - 1)).toContain('try again in 20 minutes');
    expect(limitSentence('community', 30_000)).toContain('try again in a minute');
  });
});

describe('readReportSubmission', () => {
  it('trims fields, drops control characters and makes empty optional fields null', () => {
    expect(
      readReportSubmission({
        description: '  Login\u0000 fails\r\nagain  ',
        component: ' ',
        contact: '',
        submit: 'Send',
      }),
    ).toEqual({
      ok: true,
      submission: { description: 'Login fails\nagain', componentRef: null, contact: null },
    });
  });

  it.each([
    [{}, 'description', 'describe what is not working'],
    [{ description: '   ' }, 'description', 'describe what is not working'],
    [{ description: 'x'.repeat(2001) }, 'description', 'at most 2000 characters (it has 2001)'],
    [{ description: 5 }, 'description', 'send text'],
    [{ description: 'ok', contact: 'c'.repeat(201) }, 'contact', 'at most 200 characters'],
    [{ description: 'ok', component: ['a'] }, 'component', 'send text'],
    [[], 'description', 'form or a JSON object'],
  ])('refuses %j naming %s', (body, field, reason) => {
    const result = readReportSubmission(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe(field);
      expect(result.error.reason).toContain(reason);
    }
  });

  it('counts characters, not UTF-16 units', () => {
    expect(readReportSubmission({ description: '🔥'.repeat(2000) }).ok).toBe(true);
  });
});

describe('resolveReportComponent', () => {
  const allowed = [
    { id: 'c1', ref: 'alpha/hub', name: 'Hub' },
    { id: 'c2', ref: 'shared/cluster', name: 'Cluster' },
  ];

  it('finds a component the community may name, or none', () => {
    expect(resolveReportComponent('shared/cluster', allowed)).toEqual({ componentId: 'c2' });
    expect(resolveReportComponent(null, allowed)).toEqual({ componentId: null });
  });

  it('refuses another community’s component and lists the choices', () => {
    expect(resolveReportComponent('beta/hub', allowed)).toEqual({
      error: {
        field: 'component',
        reason:
          'this community has no component "beta/hub": choose one of alpha/hub, shared/cluster, or leave it empty',
      },
    });
  });
});

describe('honeypot and address hash', () => {
  it('treats any text in the website field as a bot', () => {
    expect(isHoneypotFilled({ website: 'http://spam.example' })).toBe(true);
    expect(isHoneypotFilled({ website: '  ' })).toBe(false);
    expect(isHoneypotFilled({ description: 'x' })).toBe(false);
  });

  it('hashes addresses with the salt, so the same address under another salt differs', () => {
    const hash = hashReportAddress('salt-a', '203.0.113.9');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('203.0.113.9');
    expect(hashReportAddress('salt-a', '203.0.113.9')).toBe(hash);
    expect(hashReportAddress('salt-b', '203.0.113.9')).not.toBe(hash);
  });
});
