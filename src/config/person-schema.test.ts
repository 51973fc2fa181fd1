import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKING_HOURS, type Person } from '../oncall/person.js';
import { personSchema, personToFile } from './person-schema.js';

function person(input: Record<string, unknown>): Person {
  const parsed = personSchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function messages(input: Record<string, unknown>): string[] {
  const parsed = personSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the user to be rejected');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const ANA = {
  key: 'ana',
  name: 'Ana Pérez',
  time_zone: 'Europe/Berlin',
  working_hours: [{ days: ['mon', 'tue'], from: '08:00', to: '16:30' }],
  contact_methods: [
    { key: 'mail', kind: 'email', address: 'ana@example.org' },
    { key: 'phone', kind: 'ntfy', url: 'https://ntfy.example.org/ana-pages' },
    { key: 'chat', kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X', secret: 's3cret' },
  ],
  notification_rules: [
    { method: 'mail', after: '1m' },
    { method: 'phone', after: '5m', urgency: ['high'] },
  ],
};

describe('personSchema', () => {
  it('fills in the defaults of a minimal user', () => {
    expect(person({ key: 'ben', time_zone: 'UTC' })).toEqual({
      key: 'ben',
      name: 'ben',
      timeZone: 'UTC',
      workingHours: DEFAULT_WORKING_HOURS,
      contactMethods: [],
      notificationRules: [],
    });
  });

  it('reads contact methods (email to address, the others to url) and notification rules', () => {
    const ana = person(ANA);
    expect(ana.contactMethods).toEqual([
      { key: 'mail', kind: 'email', address: 'ana@example.org', secret: null },
      { key: 'phone', kind: 'ntfy', address: 'https://ntfy.example.org/ana-pages', secret: null },
      { key: 'chat', kind: 'slack', address: 'https://hooks.slack.com/services/T/B/X', secret: 's3cret' },
    ]);
    expect(ana.notificationRules).toEqual([
      { method: 'mail', afterMs: 60_000, urgencies: ['high', 'low'] },
      { method: 'phone', afterMs: 300_000, urgencies: ['high'] },
    ]);
    expect(ana.workingHours).toEqual([{ days: ['mon', 'tue'], from: '08:00', to: '16:30' }]);
  });

  it('keeps urgencies and days in their canonical order', () => {
    const p = person({
      key: 'a',
      time_zone: 'UTC',
      working_hours: [{ days: ['fri', 'mon'], from: '00:00', to: '00:00' }],
      contact_methods: [{ key: 'm', kind: 'email', address: 'a@example.org' }],
      notification_rules: [{ method: 'm', urgency: ['low', 'high'] }],
    });
    expect(p.workingHours[0]!.days).toEqual(['mon', 'fri']);
    expect(p.notificationRules[0]!.urgencies).toEqual(['high', 'low']);
  });

  const base = { key: 'a', time_zone: 'UTC' };
  const method = (m: Record<string, unknown>) => ({ ...base, contact_methods: [m] });
  it.each([
    [
      'an unknown time zone',
      { ...base, time_zone: 'Europe/Berlim' },
      'time_zone: unknown time zone "Europe/Berlim" — use an IANA name such as Europe/Berlin',
    ],
    [
      'a time of day without the leading zero',
      { ...base, working_hours: [{ days: ['mon'], from: '9:00', to: '17:00' }] },
      'working_hours.0.from: invalid time of day "9:00" — write HH:MM on a 24-hour clock, e.g. "09:00" or "17:30"',
    ],
    [
      'an hour past 23',
      { ...base, working_hours: [{ days: ['mon'], from: '09:00', to: '24:00' }] },
      'working_hours.0.to: invalid time of day "24:00" — write HH:MM on a 24-hour clock, e.g. "09:00" or "17:30"',
    ],
    [
      'a day listed twice',
      { ...base, working_hours: [{ days: ['mon', 'mon'], from: '09:00', to: '17:00' }] },
      'working_hours.0.days.1: day "mon" is listed twice — list each day once',
    ],
    [
      'a window without days',
      { ...base, working_hours: [{ days: [], from: '09:00', to: '17:00' }] },
      'working_hours.0.days: the list of days is empty — name at least one of mon, tue, wed, thu, fri, sat, sun',
    ],
    [
      'empty working hours',
      { ...base, working_hours: [] },
      'working_hours: the list is empty — leave working_hours out for Mon–Fri 09:00–17:00, or write { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00" } for always',
    ],
    [
      'an email method without address',
      method({ key: 'm', kind: 'email' }),
      'contact_methods.0.address: an email method needs "address" — add address: name@example.org',
    ],
    [
      'an email address without a domain',
      method({ key: 'm', kind: 'email', address: 'ana' }),
      'contact_methods.0.address: invalid email address "ana" — write it like name@example.org',
    ],
    [
      'an email method with a url',
      method({ key: 'm', kind: 'email', address: 'a@example.org', url: 'https://x.example.org' }),
      'contact_methods.0.url: url is for the other kinds; email sends to address — remove url',
    ],
    [
      'an email method with a secret',
      method({ key: 'm', kind: 'email', address: 'a@example.org', secret: 'x' }),
      'contact_methods.0.secret: secret signs webhook posts; email is not signed — remove it',
    ],
    [
      'a webhook method without url',
      method({ key: 'm', kind: 'webhook' }),
      'contact_methods.0.url: a webhook method needs "url", the address to post to — add url: https://…',
    ],
    [
      'a webhook method with an address',
      method({ key: 'm', kind: 'ntfy', url: 'https://ntfy.sh/x', address: 'a@example.org' }),
      'contact_methods.0.address: address is for email; a ntfy method posts to url — use url',
    ],
    [
      'a blank secret',
      method({ key: 'm', kind: 'webhook', url: 'https://x.example.org/hook', secret: ' ' }),
      'contact_methods.0.secret: must not be blank — write the secret or remove it',
    ],
    [
      'a rule with no urgency',
      { ...base, notification_rules: [{ method: 'm', urgency: [] }] },
      'notification_rules.0.urgency: the list is empty — write [high], [low] or [high, low], or leave urgency out for both',
    ],
    [
      'a rule delayed by more than a day',
      { ...base, notification_rules: [{ method: 'm', after: '2d' }] },
      'notification_rules.0.after: after 2d is out of range — use between 0s and 1d',
    ],
    [
      'a key with capitals',
      { ...base, key: 'Ana' },
      'key: invalid user key "Ana" — use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit',
    ],
  ])('refuses %s', (_, input, message) => {
    expect(messages(input)).toEqual([message]);
  });
});

describe('personToFile', () => {
  it('writes every field so that it reads back equal', () => {
    const ana = person(ANA);
    expect(person(personToFile(ana) as Record<string, unknown>)).toEqual(ana);
    expect(personToFile(ana)).toEqual({
      ...ANA,
      notification_rules: [
        { method: 'mail', after: '1m' },
        { method: 'phone', after: '5m', urgency: ['high'] },
      ],
    });
  });

  it('leaves out defaults', () => {
    const written = personToFile(
      person({
        key: 'ben',
        name: 'ben',
        time_zone: 'UTC',
        working_hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        contact_methods: [{ key: 'm', kind: 'email', address: 'b@example.org' }],
        notification_rules: [{ method: 'm', after: '0m', urgency: ['high', 'low'] }],
      }),
    );
    expect(written).toEqual({
      key: 'ben',
      time_zone: 'UTC',
      contact_methods: [{ key: 'm', kind: 'email', address: 'b@example.org' }],
      notification_rules: [{ method: 'm' }],
    });
  });
});
