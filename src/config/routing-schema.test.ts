import { describe, expect, it } from 'vitest';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { routingSchema, routingToFile, urgencySchema, urgencyToFile } from './routing-schema.js';

function issues(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  if (result.success) throw new Error('expected the input to be rejected');
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('routingSchema', () => {
  it('reads routes with label matchers and a default policy', () => {
    const routing = routingSchema.parse({
      default_policy: 'default',
      routes: [{ match: ['community="hub-a"', 'severity=~"P1|P2"'], policy: 'hub-a' }],
    });
    expect(routing).toEqual({
      defaultPolicy: 'default',
      routes: [
        {
          matchers: [
            { name: 'community', op: '=', value: 'hub-a' },
            { name: 'severity', op: '=~', value: 'P1|P2' },
          ],
          policy: 'hub-a',
        },
      ],
    });
    expect(routingSchema.parse(routingToFile(routing))).toEqual(routing);
  });

  it('is left out of the file when it routes nothing', () => {
    expect(routingToFile(routingSchema.parse({}))).toBeNull();
  });

  it.each([
    [
      'a route without matchers',
      { routes: [{ match: [], policy: 'p' }] },
      `routes.0.match: a route without matchers takes every alert — use default_policy: p instead, or add a matcher like 'community="pangeo"'`,
    ],
    [
      'a matcher with a stray quote',
      { routes: [{ match: ['community=pangeo"'], policy: 'p' }] },
      'routes.0.match.0: invalid matcher "community=pangeo\\"": the value has a stray double quote; quote the whole value — write name="value", name!="value", name=~"regex" or name!~"regex"',
    ],
    [
      'a default policy that is not a key',
      { default_policy: 'Default' },
      'default_policy: invalid escalation policy key "Default" — use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit',
    ],
  ])('refuses %s', (_, input, message) => {
    expect(issues(routingSchema.safeParse(input))).toEqual([message]);
  });
});

describe('urgencySchema', () => {
  it('keeps the default row of every severity left out, and defaults the fields of a row', () => {
    const matrix = urgencySchema.parse([
      { severity: 'P2', urgency: 'low' },
      { severity: 'P4', impact: 'minor', urgency: 'high', working_hours_only: true },
    ]);
    expect(matrix).toEqual([
      DEFAULT_URGENCY_MATRIX[0],
      { severity: 'P2', impact: 'major', urgency: 'low', workingHoursOnly: true },
      DEFAULT_URGENCY_MATRIX[2],
      { severity: 'P4', impact: 'minor', urgency: 'high', workingHoursOnly: true },
    ]);
    expect(urgencySchema.parse(urgencyToFile(matrix))).toEqual(matrix);
    expect(urgencyToFile(matrix)).toEqual([
      { severity: 'P2', impact: 'major', urgency: 'low' },
      { severity: 'P4', impact: 'minor', urgency: 'high', working_hours_only: true },
    ]);
  });

  it('writes nothing for the default matrix, even when its rows are written out', () => {
    expect(urgencyToFile(urgencySchema.parse([{ severity: 'P3', impact: 'minor', urgency: 'low' }]))).toEqual(
      [],
    );
  });

  it('refuses two rows for one severity', () => {
    expect(
      issues(urgencySchema.safeParse([{ severity: 'P3' }, { severity: 'P3', urgency: 'high' }])),
    ).toEqual(['1.severity: severity P3 has a row already — keep one row per severity']);
  });

  it('refuses an unknown urgency', () => {
    expect(issues(urgencySchema.safeParse([{ severity: 'P3', urgency: 'urgent' }]))[0]).toMatch(
      /^0\.urgency: /,
    );
  });
});
