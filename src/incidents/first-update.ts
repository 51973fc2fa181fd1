import { type ComponentStatus, statusLabel } from '../statuspage/component-status.js';
import type { Impact, IncidentStatus } from './incident.js';

/** The moments automation (and a declaration without a message) writes an update for. */
export type UpdateMoment = 'opening' | 'monitoring' | 'resolved' | 'relapse';

/** A component as a template names it: its name, its community's name (null for shared ones), its status. */
export interface TemplateComponent {
  readonly name: string;
  readonly community: string | null;
  readonly status: ComponentStatus;
}

/** What a templated update says: which components, how bad, and when the next update is due. */
export interface TemplateContext {
  readonly components: readonly TemplateComponent[];
  readonly impact: Impact;
  /** Time until the next update is owed (cadence); null or absent = "as soon as we know more". */
  readonly nextUpdateInMs?: number | null;
}

/** Components named in a sentence before it switches to "N components, among them …". */
const NAMED_IN_SENTENCE = 5;
/** Components listed one a line before the list ends with "… and N more". */
const LISTED = 20;

const IMPACT_WORDS: Readonly<Record<Impact, string>> = {
  critical: 'critical',
  major: 'major',
  minor: 'minor',
  none: 'none expected',
};

/** The incident status an update for `moment` announces. */
export function momentStatus(moment: UpdateMoment): IncidentStatus {
  return moment === 'opening' || moment === 'relapse' ? 'investigating' : moment;
}

/**
 * The Markdown of a templated public update: the opening one names the affected components, the
 * impact and each component's status; monitoring says a fix is in and checks pass again; resolved
 * closes; relapse says the problem is back. Component names are escaped, so they are shown as written.
 */
export function templatedUpdate(moment: UpdateMoment, context: TemplateContext): string {
  const what = componentPhrase(context.components);
  switch (moment) {
    case 'opening':
      return [
        `We are investigating reports of problems with ${what}.`,
        `Impact: **${IMPACT_WORDS[context.impact]}**.${statusList(context.components)}`,
        nextUpdate(context.nextUpdateInMs),
      ].join('\n\n');
    case 'monitoring':
      return [
        `A fix has been applied and the checks for ${what} are passing again.`,
        'We are monitoring the results to make sure the problem does not come back.',
      ].join('\n\n');
    case 'resolved':
      return [
        `This incident has been resolved: ${what} ${context.components.length === 1 ? 'is' : 'are'} working normally again.`,
        'Thank you for your patience.',
      ].join('\n\n');
    case 'relapse':
      return [
        `The problem with ${what} has come back, and we are investigating again.`,
        nextUpdate(context.nextUpdateInMs),
      ].join('\n\n');
  }
}

function componentPhrase(components: readonly TemplateComponent[]): string {
  if (components.length === 0) return 'our services';
  const names = components.map(displayName);
  if (names.length <= NAMED_IN_SENTENCE) return joinAnd(names);
  return `${names.length} components, among them ${names.slice(0, 3).join(', ')}`;
}

function statusList(components: readonly TemplateComponent[]): string {
  if (components.length === 0) return '';
  const lines = components
    .slice(0, LISTED)
    .map((c) => `- ${displayName(c)}: ${statusLabel(c.status).toLowerCase()}`);
  if (components.length > LISTED) lines.push(`- … and ${components.length - LISTED} more`);
  return `\n\n${lines.join('\n')}`;
}

function nextUpdate(inMs: number | null | undefined): string {
  if (inMs === null || inMs === undefined) return 'We will post an update as soon as we know more.';
  return `We will post another update within ${describeWait(inMs)}.`;
}

function displayName(c: TemplateComponent): string {
  return c.community === null
    ? escapeMarkdown(c.name)
    : `${escapeMarkdown(c.name)} (${escapeMarkdown(c.community)})`;
}

function joinAnd(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "30 minutes", "1 hour", "90 minutes", "2 hours". */
function describeWait(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Backslash-escapes the characters Markdown would read as formatting. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');
}
