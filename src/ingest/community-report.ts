import { createHash } from 'node:crypto';
import type { DetectionSource } from '../incidents/incident.js';

/** A count of recent reports in one limit's window, and when the oldest of them arrived. */
export interface WindowCount {
  readonly count: number;
  /** Epoch ms of the oldest report in the window; null when there is none. */
  readonly oldestAt: number | null;
}

/** At most `max` reports in any `windowMs`. */
export interface IntakeLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** How much a report may say and how many reports Firewatch takes in. */
export interface ReportLimits {
  readonly descriptionMaxChars: number;
  readonly contactMaxChars: number;
  /** Per reporter address (hashed), across all communities. */
  readonly perAddress: IntakeLimit;
  /** Per community, from everyone: a flood cannot fill the store. */
  readonly perCommunity: IntakeLimit;
  /** Largest request body the intake route reads. */
  readonly bodyBytes: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  descriptionMaxChars: 2000,
  contactMaxChars: 200,
  perAddress: { max: 5, windowMs: 60 * 60_000 },
  perCommunity: { max: 60, windowMs: 10 * 60_000 },
  bodyBytes: 32_768,
};

/** What a community member sent, cleaned up (trimmed; empty optional fields are null). */
export interface ReportSubmission {
  readonly description: string;
  /** A component ref as sent (`alpha/hub`, `shared/cluster`); resolved against the community later. */
  readonly componentRef: string | null;
  readonly contact: string | null;
}

/** A validation problem: which field and what the reporter should do about it. */
export interface ReportFieldError {
  readonly field: string;
  readonly reason: string;
}

/** The form field bots fill and people never see. */
export const HONEYPOT_FIELD = 'website';

/** True when the hidden honeypot field carries anything: the sender is a bot. */
export function isHoneypotFilled(body: unknown): boolean {
  const value = isRecord(body) ? body[HONEYPOT_FIELD] : undefined;
  return value !== undefined && value !== null && String(value).trim() !== '';
}

/**
 * Reads a report from a form or JSON body. Unknown fields are ignored (forms carry buttons and the
 * honeypot). Control characters other than tab and newline are dropped. Lengths count characters.
 */
export function readReportSubmission(
  body: unknown,
  limits: ReportLimits = DEFAULT_REPORT_LIMITS,
):
  | { readonly ok: true; readonly submission: ReportSubmission }
  | { readonly ok: false; readonly error: ReportFieldError } {
  if (!isRecord(body)) {
    return {
      ok: false,
      error: { field: 'description', reason: 'send the report as a form or a JSON object' },
    };
  }
  const description = text(body, 'description');
  if (typeof description !== 'string') return { ok: false, error: description };
  if (description === '') {
    return { ok: false, error: { field: 'description', reason: 'describe what is not working' } };
  }
  if (charCount(description) > limits.descriptionMaxChars) {
    return {
      ok: false,
      error: {
        field: 'description',
        reason: `shorten the description to at most ${limits.descriptionMaxChars} characters (it has ${charCount(description)})`,
      },
    };
  }
  const component = text(body, 'component');
  if (typeof component !== 'string') return { ok: false, error: component };
  const contact = text(body, 'contact');
  if (typeof contact !== 'string') return { ok: false, error: contact };
  if (charCount(contact) > limits.contactMaxChars) {
    return {
      ok: false,
      error: {
        field: 'contact',
        reason: `shorten the contact to at most ${limits.contactMaxChars} characters`,
      },
    };
  }
  return {
    ok: true,
    submission: { description, componentRef: component || null, contact: contact || null },
  };
}

/** A component a community's reports may name: its own, or shared infrastructure it depends on. */
export interface ReportableComponent {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
}

/** The component id a report names, null for none, or an error listing what may be named. */
export function resolveReportComponent(
  ref: string | null,
  allowed: readonly ReportableComponent[],
): { readonly componentId: string | null } | { readonly error: ReportFieldError } {
  if (ref === null) return { componentId: null };
  const found = allowed.find((c) => c.ref === ref);
  if (found) return { componentId: found.id };
  const choices = allowed.slice(0, 10).map((c) => c.ref);
  const more = allowed.length > choices.length ? ', …' : '';
  const hint =
    choices.length === 0 ? 'leave it empty' : `choose one of ${choices.join(', ')}${more}, or leave it empty`;
  return { error: { field: 'component', reason: `this community has no component "${ref}": ${hint}` } };
}

/** Accept the report, or refuse it because a limit is reached, saying when to try again. */
export type IntakeDecision =
  | { readonly accept: true }
  | { readonly accept: false; readonly limit: 'address' | 'community'; readonly retryAfterMs: number };

/**
 * Decides whether one more report may be stored, given the recent reports from the same address and
 * to the same community. The address limit is checked first (it names the sender's own doing).
 */
export function decideIntake(
  recent: { readonly address: WindowCount; readonly community: WindowCount },
  limits: ReportLimits,
  now: number,
): IntakeDecision {
  const checks = [
    ['address', recent.address, limits.perAddress],
    ['community', recent.community, limits.perCommunity],
  ] as const;
  for (const [limit, window, rule] of checks) {
    if (window.count < rule.max) continue;
    // The oldest report leaving the window frees a place; at least one second, for Retry-After.
    const freeAt = (window.oldestAt ?? now) + rule.windowMs;
    return { accept: false, limit, retryAfterMs: Math.max(1_000, freeAt - now) };
  }
  return { accept: true };
}

/** The sentence a refused reporter reads. */
export function limitSentence(limit: 'address' | 'community', retryAfterMs: number): string {
  const wait = describeWait(retryAfterMs);
  return limit === 'address'
    ? `You have sent several reports in the last hour, which is as many as we take from one address. Please try again in ${wait}.`
    : `This community has received many reports in the last few minutes, so new ones are paused. The team has the reports already sent; please try again in ${wait}.`;
}

/** An incident's detection facts that linking a community report can change. */
export interface DetectionFacts {
  readonly detectionSource: DetectionSource;
  readonly detectedAt: number;
  readonly firstReportAt: number | null;
  readonly leadTimeMs: number | null;
}

/**
 * The incident's detection facts after a report made at `reportAt` is linked. first_report_at becomes the
 * earliest linked report. When the first report is older than detected_at, the community found the
 * problem first: detection_source becomes `community` and the lead time is negative (detected_at stays).
 * Otherwise, for monitoring-detected incidents, the lead time is how much earlier monitoring was
 * (first_report_at - detected_at; later reports leave it alone). Incidents declared from a report keep a
 * null lead time: nothing else detected them. Manual incidents get no positive lead time.
 */
export function detectionAfterReport(facts: DetectionFacts, reportAt: number): DetectionFacts {
  const firstReportAt = facts.firstReportAt === null ? reportAt : Math.min(facts.firstReportAt, reportAt);
  const lead = firstReportAt - facts.detectedAt;
  if (lead < 0) {
    const fromReportAlone = facts.detectionSource === 'community' && facts.leadTimeMs === null;
    return {
      ...facts,
      detectionSource: 'community',
      firstReportAt,
      leadTimeMs: fromReportAlone ? null : lead,
    };
  }
  if (facts.detectionSource === 'monitoring') return { ...facts, firstReportAt, leadTimeMs: lead };
  return { ...facts, firstReportAt };
}

/** SHA-256 (hex) of a reporter's address with the server's salt: the only form the address is kept in. */
export function hashReportAddress(salt: string, address: string): string {
  return createHash('sha256').update(`${salt}\n${address}`).digest('hex');
}

function describeWait(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'a minute';
  return `${minutes} minutes`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function text(body: Record<string, unknown>, field: string): string | ReportFieldError {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return { field, reason: 'send text' };
  return value.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
}

function charCount(value: string): number {
  return [...value].length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
