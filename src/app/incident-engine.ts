import { type AutomationAction, type ComponentFact, decideAutomation } from '../incidents/automation.js';
import { templatedUpdate, type UpdateMoment } from '../incidents/first-update.js';
import type { IncidentPolicy } from '../incidents/incident-policy.js';
import type { OncallDirectory } from '../oncall/oncall-directory.js';
import { type AutomationFacts, loadAutomationFacts, unlinkedAlerts } from '../store/automation-facts.js';
import type { Database } from '../store/database.js';
import { loadIncidentPolicy } from '../store/incident-policy-repository.js';
import { remindUpdatesDue } from '../store/incident-reminders.js';
import {
  addIncidentComponents,
  changeIncident,
  declareIncident,
  type IncidentSettings,
  linkAlertToIncident,
  markRecovered,
  postIncidentUpdate,
} from '../store/incident-repository.js';
import { acquireLease, releaseLease } from '../store/lease-repository.js';
import { enqueueMaintenanceNotices } from '../store/subscriber-notices.js';

export interface IncidentEngineOptions {
  readonly database: Database;
  /** This process, as lease owner. */
  readonly processId: string;
  readonly now: () => number;
  /** The public page's URL and name (links in notices and reminders). */
  readonly page: () => { readonly pageUrl: string; readonly pageName: string };
  /** People and the urgency matrix (the paging engine keeps them loaded). */
  readonly directory: () => OncallDirectory;
  /** Something public changed: rebuild the snapshot, deliver the outbox soon. */
  readonly onChange: () => void;
  readonly onAction?: (action: AutomationAction, incidentId: string | null) => void;
  readonly onError: (error: Error) => void;
}

/** How often automation looks at component statuses, due updates and maintenance notices. */
export const INCIDENT_TICK_MS = 2_000;
/** A lease outlives a few missed ticks, so a stalled process hands over within seconds. */
const LEASE_MS = 15_000;
const LEASE_NAME = 'incident-automation';

/**
 * Runs incidents by themselves: opens or joins incidents when components go into outage, moves them to
 * monitoring and resolved when checks recover (decisions in incidents/automation.ts), reminds commanders
 * of due updates and queues maintenance notices. One process at a time does it (a lease row); `nudge()`
 * runs a turn at once after a component changed, so the first update is out within seconds.
 */
export class IncidentEngine {
  readonly #options: IncidentEngineOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  /** Components in maintenance at the last turn: a window starting or ending changes the page. */
  #inMaintenance = '';

  constructor(options: IncidentEngineOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => this.nudge(), INCIDENT_TICK_MS);
  }

  /** Runs a turn now (or right after the one in progress). */
  nudge(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = null;
    });
  }

  /** One turn; resolves when it is done (tests drive it with a fake clock). */
  async turn(): Promise<AutomationAction[]> {
    const { database, processId, now } = this.#options;
    const at = now();
    if (!(await acquireLease(database.db, LEASE_NAME, processId, at, LEASE_MS))) return [];
    const policy = await loadIncidentPolicy(database.db);
    const settings = this.#settings(policy);
    const facts = await loadAutomationFacts(database.db, at);
    const actions = decideAutomation(facts.components, facts.incidents, facts.resolvedAfter, policy, at);
    const inMaintenance = facts.components
      .filter((c) => c.inMaintenance)
      .map((c) => c.id)
      .join(',');
    let changed = inMaintenance !== this.#inMaintenance;
    this.#inMaintenance = inMaintenance;
    for (const action of actions) {
      try {
        const incidentId = await this.#apply(action, facts, settings, at);
        changed = true;
        this.#options.onAction?.(action, incidentId);
      } catch (error) {
        this.#options.onError(new Error(`incident automation: ${action.kind}`, { cause: error }));
      }
    }
    // Open alerts on covered components, the new incidents' included (a component's alert is raised
    // alongside the incident, so it often lands a moment later).
    for (const link of await unlinkedAlerts(database.db)) {
      try {
        await linkAlertToIncident(database, link.incidentId, link.alertId, 'automation', at);
      } catch (error) {
        this.#options.onError(new Error(`link alert ${link.alertId} to its incident`, { cause: error }));
      }
    }
    const reminders = await remindUpdatesDue(
      database.db,
      database.capabilities,
      this.#options.directory().people,
      policy,
      settings.pageUrl,
      at,
    );
    const notices = await enqueueMaintenanceNotices(database, this.#options.page(), at);
    if (changed || reminders.length > 0 || notices > 0) this.#options.onChange();
    return actions;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
    const { database, processId } = this.#options;
    await releaseLease(database.db, LEASE_NAME, processId).catch(() => undefined);
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.turn();
      } catch (error) {
        this.#options.onError(new Error('incident automation turn', { cause: error }));
      }
    } while (this.#again);
  }

  #settings(policy: IncidentPolicy): IncidentSettings {
    const page = this.#options.page();
    return {
      matrix: this.#options.directory().urgency,
      policy,
      pageUrl: page.pageUrl,
      pageName: page.pageName,
    };
  }

  async #apply(
    action: AutomationAction,
    facts: AutomationFacts,
    settings: IncidentSettings,
    at: number,
  ): Promise<string | null> {
    const { database } = this.#options;
    switch (action.kind) {
      case 'open': {
        const result = await declareIncident(
          database,
          {
            title: action.title,
            impact: action.impact,
            components: action.components,
            message: null,
            draft: settings.policy.firstUpdate === 'draft',
            origin: 'automation',
            detectionSource: 'monitoring',
            detectedAt: action.detectedAt,
            actor: 'automation',
          },
          settings,
          at,
        );
        return 'incident' in result ? result.incident.id : null;
      }
      case 'join':
        await addIncidentComponents(
          database,
          action.incidentId,
          [{ componentId: action.componentId, status: action.status }],
          'automation',
          at,
        );
        return action.incidentId;
      case 'recovered':
        await markRecovered(database, action.incidentId, at, 'automation', at);
        return action.incidentId;
      case 'raise_impact':
        await changeIncident(database, action.incidentId, { impact: action.impact }, 'automation', at);
        return action.incidentId;
      case 'relapse':
      case 'monitoring':
      case 'resolve': {
        const moment: UpdateMoment = action.kind === 'resolve' ? 'resolved' : action.kind;
        const incident = facts.incidents.find((i) => i.id === action.incidentId);
        const byId = new Map(facts.components.map((c) => [c.id, c]));
        const components = (incident?.components ?? [])
          .map((c) => byId.get(c.componentId))
          .filter((c): c is ComponentFact => c !== undefined)
          .map((c) => ({ name: c.name, community: c.communityName, status: c.status }));
        // Recovered components show operational from the monitoring update on (the page tells the truth while
        // the incident waits out its quiet period); a relapse raises them again through a `join`.
        const refs = (incident?.components ?? [])
          .map((c) => byId.get(c.componentId)?.ref)
          .filter((ref): ref is string => ref !== undefined);
        await postIncidentUpdate(
          database,
          action.incidentId,
          {
            kind: 'public',
            status: moment === 'relapse' ? 'investigating' : moment,
            body: templatedUpdate(moment, { components, impact: 'none' }),
            ...(moment === 'monitoring'
              ? { components: refs.map((ref) => ({ ref, status: 'operational' as const })) }
              : {}),
            actor: 'automation',
          },
          settings,
          at,
        );
        if (action.kind !== 'resolve') {
          await markRecovered(
            database,
            action.incidentId,
            action.kind === 'monitoring' ? at : null,
            'automation',
            at,
          );
        }
        return action.incidentId;
      }
    }
  }
}
