import { z } from 'zod';
import { CHANNEL_KINDS } from '../notify/message.js';
import {
  type ContactMethod,
  DEFAULT_WORKING_HOURS,
  type NotificationRule,
  type Person,
  type Urgency,
} from '../oncall/person.js';
import { formatDuration } from './duration.js';
import { timeWindowSchema, timeWindowToFile, timeZone } from './local-time-schema.js';
import { compact, describeValue, duration, httpUrl, label, slug } from './schema-parts.js';

const DAY = 86_400_000;
const URGENCIES: readonly Urgency[] = ['high', 'low'];
// Deliberately loose: one @, no spaces, a dot in the domain. The mail server has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A contact method: `address` for email, `url` for every other kind, `secret` to sign webhook posts. */
const contactMethodSchema = z
  .strictObject({
    key: slug('contact method key'),
    kind: z.enum(CHANNEL_KINDS as readonly [string, ...string[]]),
    address: z.string().nullish(),
    url: httpUrl.nullish(),
    secret: z.string().nullish(),
  })
  .transform((m, ctx): ContactMethod => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    const kind = m.kind as ContactMethod['kind'];
    if (kind === 'email') {
      if (m.address == null)
        issue('address', 'an email method needs "address" — add address: name@example.org');
      else if (!EMAIL.test(m.address)) {
        issue(
          'address',
          `invalid email address ${describeValue(m.address)} — write it like name@example.org`,
        );
      }
      if (m.url != null) issue('url', 'url is for the other kinds; email sends to address — remove url');
      if (m.secret != null) issue('secret', 'secret signs webhook posts; email is not signed — remove it');
    } else {
      if (m.url == null)
        issue('url', `a ${kind} method needs "url", the address to post to — add url: https://…`);
      if (m.address != null)
        issue('address', `address is for email; a ${kind} method posts to url — use url`);
    }
    if (m.secret != null && m.secret.trim() === '')
      issue('secret', 'must not be blank — write the secret or remove it');
    return {
      key: m.key,
      kind,
      address: (kind === 'email' ? m.address : m.url) ?? '',
      secret: m.secret ?? null,
    };
  });

/** "Notify through `method`, `after` being paged, for these urgencies" (default both). */
const notificationRuleSchema = z
  .strictObject({
    method: slug('contact method key'),
    after: duration('after', 0, DAY).nullish(),
    urgency: z.array(z.enum(URGENCIES as readonly [string, ...string[]])).nullish(),
  })
  .transform((r, ctx): NotificationRule => {
    const written = r.urgency ?? URGENCIES;
    if (written.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['urgency'],
        message: 'the list is empty — write [high], [low] or [high, low], or leave urgency out for both',
      });
    }
    return {
      method: r.method,
      afterMs: r.after ?? 0,
      urgencies: URGENCIES.filter((u) => written.includes(u)),
    };
  });

/** One entry of the file's `users:` list (and the body of PUT /api/v1/users/:key), as a Person. */
export const personSchema = z
  .strictObject({
    key: slug('user key'),
    name: label.nullish(),
    time_zone: timeZone,
    working_hours: z.array(timeWindowSchema).nullish(),
    contact_methods: z.array(contactMethodSchema).nullish(),
    notification_rules: z.array(notificationRuleSchema).nullish(),
  })
  .transform((p, ctx): Person => {
    if (p.working_hours?.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['working_hours'],
        message:
          'the list is empty — leave working_hours out for Mon–Fri 09:00–17:00, or write ' +
          '{ days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00" } for always',
      });
    }
    return {
      key: p.key,
      name: p.name ?? p.key,
      timeZone: p.time_zone,
      workingHours: p.working_hours ?? DEFAULT_WORKING_HOURS,
      contactMethods: p.contact_methods ?? [],
      notificationRules: p.notification_rules ?? [],
    };
  });

/** A person as their YAML map, defaults left out; personSchema reads it back to an equal Person. */
export function personToFile(person: Person): Record<string, unknown> {
  return compact({
    key: person.key,
    name: person.name === person.key ? null : person.name,
    time_zone: person.timeZone,
    working_hours: sameWindows(person.workingHours, DEFAULT_WORKING_HOURS)
      ? null
      : person.workingHours.map(timeWindowToFile),
    contact_methods: person.contactMethods.length > 0 ? person.contactMethods.map(contactMethodToFile) : null,
    notification_rules:
      person.notificationRules.length > 0 ? person.notificationRules.map(notificationRuleToFile) : null,
  });
}

/** A contact method as its YAML map (the secret included: callers that show it to people hide it). */
export function contactMethodToFile(method: ContactMethod): Record<string, unknown> {
  return compact({
    key: method.key,
    kind: method.kind,
    ...(method.kind === 'email' ? { address: method.address } : { url: method.address }),
    secret: method.secret,
  });
}

function notificationRuleToFile(rule: NotificationRule): Record<string, unknown> {
  return compact({
    method: rule.method,
    after: rule.afterMs === 0 ? null : formatDuration(rule.afterMs),
    urgency: rule.urgencies.length === URGENCIES.length ? null : [...rule.urgencies],
  });
}

function sameWindows(a: Person['workingHours'], b: Person['workingHours']): boolean {
  return JSON.stringify(a.map(timeWindowToFile)) === JSON.stringify(b.map(timeWindowToFile));
}
