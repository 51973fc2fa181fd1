import type { LabelMatcher } from '../rules/label-matcher.js';
import { matchesLabels } from '../rules/match-labels.js';

/** "Alerts whose labels match go to this escalation policy." */
export interface Route {
  readonly matchers: readonly LabelMatcher[];
  readonly policy: string;
}

/** Which escalation policy pages for an alert: the first matching route, else the default. */
export interface Routing {
  readonly routes: readonly Route[];
  readonly defaultPolicy: string | null;
}

export const EMPTY_ROUTING: Routing = { routes: [], defaultPolicy: null };

/** The policy key for an alert with these labels, or null when nothing routes it (nobody is paged). */
export function policyFor(routing: Routing, labels: Readonly<Record<string, string>>): string | null {
  const route = routing.routes.find((r) => matchesLabels(labels, r.matchers));
  return route ? route.policy : routing.defaultPolicy;
}
