import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../rules/alert-rule.js';
import {
  alertRuleSchema,
  alertRuleToFile,
  configuredRuleSchema,
  RULE_DEFAULTS,
} from './alert-rule-schema.js';

function rule(input: Record<string, unknown>): AlertRule {
  const parsed = alertRuleSchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function messages(input: Record<string, unknown>): string[] {
  const parsed = alertRuleSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the rule to be rejected');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const EVERY_KIND: readonly Record<string, unknown>[] = [
  { key: 'hub-down', kind: 'consecutive', fail_after: 3, recover_after: 2 },
  { key: 'flaky', kind: 'n_of_m', n: 3, m: 5 },
  {
    key: 'server-start-failures',
    kind: 'events_in_window',
    count: 2,
    window: '30m',
    consecutive: false,
    reset_types: ['server_start_succeeded'],
  },
  { key: 'slow', kind: 'latency', threshold: '2s', for: '5m' },
  { key: 'backup', kind: 'heartbeat_missing', expect_every: '1d', grace: '1h' },
  { key: 'regions', kind: 'quorum', quorum: 2, stale_after: '5m' },
];

describe('alertRuleSchema', () => {
  it('fills in the common defaults of a minimal rule', () => {
    expect(rule({ key: 'hub-down', kind: 'consecutive' })).toEqual({
      key: 'hub-down',
      name: 'hub-down',
      kind: 'consecutive',
      match: { sources: [], types: [], labels: [] },
      per: ['community'],
      severity: 'P3',
      autoResolve: true,
      groupBy: [],
      flap: { maxChanges: 6, windowMs: 1_800_000 },
      failAfter: 2,
      recoverAfter: 1,
    });
  });

  it('reads every kind into its own fields', () => {
    const [consecutive, nOfM, inWindow, latency, heartbeat, quorum] = EVERY_KIND.map(rule);
    expect(consecutive).toMatchObject({ failAfter: 3, recoverAfter: 2 });
    expect(nOfM).toMatchObject({ n: 3, m: 5 });
    expect(inWindow).toMatchObject({
      count: 2,
      windowMs: 1_800_000,
      consecutive: false,
      resetTypes: ['server_start_succeeded'],
    });
    expect(latency).toMatchObject({ thresholdMs: 2_000, forMs: 300_000 });
    expect(heartbeat).toMatchObject({ expectEveryMs: 86_400_000, graceMs: 3_600_000 });
    expect(quorum).toMatchObject({ quorum: 2, staleAfterMs: 300_000 });
  });

  it('parses label matchers of match.labels', () => {
    const parsed = rule({
      key: 'pangeo',
      kind: 'consecutive',
      match: { sources: ['generic'], types: ['t'], labels: ['community=~"pangeo|hub-.*"', 'severity!="P4"'] },
    });
    expect(parsed.match).toEqual({
      sources: ['generic'],
      types: ['t'],
      labels: [
        { name: 'community', op: '=~', value: 'pangeo|hub-.*' },
        { name: 'severity', op: '!=', value: 'P4' },
      ],
    });
  });

  it('refuses n above m and says how to fix it', () => {
    expect(messages({ key: 'x', kind: 'n_of_m', n: 5, m: 3 })).toEqual([
      'n: n 5 is more than m 3 — the rule fires when n of the last m signals are problems, so use n ≤ m',
    ]);
  });

  it('passes on the matcher parser’s explanation of a bad matcher', () => {
    const [message] = messages({
      key: 'x',
      kind: 'consecutive',
      match: { labels: ['community=~"(pangeo"'] },
    });
    expect(message).toMatch(/^match\.labels\.0: invalid matcher .* does not compile .* — write name="value"/);
  });

  it('takes no enabled field; the file’s entries do', () => {
    expect(messages({ key: 'x', kind: 'consecutive', enabled: false })[0]).toMatch(/enabled/);
    const configured = configuredRuleSchema.parse({ key: 'x', kind: 'consecutive', enabled: false });
    expect(configured).toMatchObject({ enabled: false, rule: { key: 'x', kind: 'consecutive' } });
  });
});

describe('alertRuleToFile', () => {
  it.each(EVERY_KIND.map((input) => [input.kind, input] as const))(
    'writes a %s rule that reads back equal',
    (_, input) => {
      const parsed = rule(input);
      expect(rule(alertRuleToFile(parsed))).toEqual(parsed);
    },
  );

  it('leaves out defaults but keeps an empty per, which is not the default', () => {
    expect(alertRuleToFile(rule({ key: 'x', kind: 'consecutive', per: [] }))).toEqual({
      key: 'x',
      kind: 'consecutive',
      per: [],
    });
    expect(RULE_DEFAULTS.per).toEqual(['community']);
  });

  it('writes every common field that differs from its default', () => {
    const input = {
      key: 'x',
      name: 'Hub down',
      kind: 'consecutive',
      match: { sources: ['check'], types: ['monitor'], labels: ['community="pangeo"'] },
      per: ['community', 'component'],
      severity: 'P1',
      auto_resolve: false,
      group_by: ['cluster'],
      flap: { max_changes: 3, window: '1h' },
    };
    expect(alertRuleToFile(rule(input))).toEqual(input);
  });

  it('quotes matcher values so they read back exactly', () => {
    const values = ['pangeo|hub-.*', 'a "quoted" word', 'back\\slash \\d+', 'two\nlines', ''];
    for (const value of values) {
      const parsed = rule({ key: 'x', kind: 'consecutive' });
      const withMatcher: AlertRule = {
        ...parsed,
        match: { ...parsed.match, labels: [{ name: 'l', op: '=~', value }] },
      };
      expect(rule(alertRuleToFile(withMatcher)).match.labels).toEqual([{ name: 'l', op: '=~', value }]);
    }
  });
});
