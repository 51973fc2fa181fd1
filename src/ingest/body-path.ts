import type { z } from 'zod';
import { IngestError } from './integration-settings.js';

/** Where a value sits in a request body: its keys and list indexes from the root. */
export type BodyPath = readonly PropertyKey[];

/** Parses with a zod schema, turning the first issue into an IngestError that names its field. */
export function parseWithSchema<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) {
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  if (issue === undefined) {
    throw new IngestError('', 'the body is not valid — send the sender’s payload unchanged');
  }
  const field = formatPath(issue.path);
  const name = issue.path.length === 0 ? 'the body' : String(issue.path.at(-1));
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? fail(field, `${name} is missing — add it (${withArticle(issue.expected)})`)
        : fail(field, `${name} is ${describeValue(input)} — send ${withArticle(issue.expected)}`);
    case 'invalid_value': {
      const words = issue.values.map((v) => JSON.stringify(v));
      return fail(
        field,
        `${name} ${describeValue(input)} is not one of ${issue.values.join(', ')} — send ${words.join(' or ')}`,
      );
    }
    default:
      return fail(field, `${name} is not valid: ${issue.message}`);
  }
}

function fail(field: string, message: string): never {
  throw new IngestError(field, message);
}

function withArticle(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    default:
      return `a ${expected}`;
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of an RFC 3339 / ISO 8601 date-time with a zone (`Z` or `±hh:mm`); digits past milliseconds
 * are dropped and a leap second reads as :59. Null for anything else, including impossible dates.
 */
export function parseTimestamp(text: string): number | null {
  const match = RFC3339.exec(text.trim());
  if (match === null) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = match[8] ?? 'Z';
  const offsetHours = zone.length > 1 ? Number(zone.slice(1, 3)) : 0;
  const offsetMinutes = zone.length > 1 ? Number(zone.slice(-2)) : 0;
  const daysInMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  if (offsetHours > 23 || offsetMinutes > 59) {
    return null;
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are (Go's zero time is year 1).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), Number((match[7] ?? '.0').slice(1, 4).padEnd(3, '0')));
  const sign = zone.startsWith('-') ? -1 : 1;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `alerts[2].labels.severity`; keys that are not plain names are quoted: `labels["team name"]`. */
export function formatPath(path: BodyPath): string {
  return path.reduce<string>((text, segment) => childPath(text, segment), '');
}

/** The path of `key` inside the value at `parent` (a formatPath string). */
export function childPath(parent: string, key: PropertyKey): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  const name = String(key);
  if (!/^[A-Za-z_$][\w$-]*$/.test(name)) {
    return `${parent}[${JSON.stringify(name)}]`;
  }
  return parent === '' ? name : `${parent}.${name}`;
}

/** How a value reads in an error message: `"fire"`, `42`, `null`, `a list`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A plain object (not an array, a Date, a class instance or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The text when it has more than whitespace, else undefined (Prometheus treats empty labels as absent). */
export function nonEmpty(text: string | null | undefined): string | undefined {
  return text === null || text === undefined || text.trim() === '' ? undefined : text;
}
