import { type Kysely, sql, type Transaction } from 'kysely';
import type { AlertStatus, CurrentAlert } from '../alerts/alert-status.js';
import type { AlertingSettings } from '../alerts/alerting-settings.js';
import { type AlertDecision, decideAlert } from '../alerts/decide-alert.js';
import { type ActiveMaintenance, type ActiveSilence, findMute } from '../alerts/find-mute.js';
import { groupKeyFor } from '../alerts/group-key.js';
import { type AlertRule, INITIAL_RULE_STATE, type RuleState } from '../rules/alert-rule.js';
import { evaluateRule, ruleMatches, subjectOf } from '../rules/evaluate-rule.js';
import { type FlapState, INITIAL_FLAP_STATE } from '../rules/flap-damping.js';
import { labelsOf, type Signal } from '../rules/signal.js';
import { type AlertEventInput, appendAlertEvents, joinGroup, resolveAlert } from './alert-writes.js';
import type { Capabilities } from './capabilities.js';
import { loadMutes } from './mute-repository.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

type Tx = Transaction<Schema>;

/** A rule as the engine holds it: the enabled rule and its row id. */
export interface EngineRule {
  readonly id: string;
  readonly rule: AlertRule;
}

/** One delivery to take in: the signals of one webhook request (or of the check engine). */
export interface IngestRequest {
  readonly integrationId: string | null;
  /** Deliveries with the same (integration, key) are taken in once; null = no idempotency. */
  readonly idempotencyKey: string | null;
  readonly signals: readonly Signal[];
  /**
   * Signals only rules may judge: when no rule matches one, it is recorded and nothing else
   * (per-check results and per-location monitor verdicts, which would otherwise page per location).
   */
  readonly ruleOnly?: boolean;
}

/** What one delivery did. */
export interface IngestOutcome {
  /** The delivery had been taken in before; nothing was done this time. */
  readonly duplicate: boolean;
  readonly signals: number;
  /** Alerts the delivery created, reopened, repeated or resolved. */
  readonly alerts: readonly { readonly id: string; readonly action: string; readonly dedupKey: string }[];
}

/** The rules and settings decisions are made with, and the time. */
export interface AlertContext {
  readonly rules: readonly EngineRule[];
  readonly settings: AlertingSettings;
  readonly now: number;
}

/** The key's state while a batch works on it. */
interface KeyState {
  readonly dedupKey: string;
  /** The rule that owns the key (null for a direct key). */
  ruleId: string | null;
  ruleState: RuleState;
  /** The kind of rule that wrote `ruleState` (null for direct keys and new keys). */
  ruleKind: string | null;
  /**
   * The last signal that reached the key, without its details: who the subject is (community,
   * component, labels) when a clock tick, not a signal, fires the alert (heartbeat_missing, latency).
   */
  lastSignal: Signal | null;
  flap: FlapState;
  alert: (CurrentAlert & { groupId: string | null }) | null;
  pendingRepeats: number;
  lastSignalAt: number;
  dirty: boolean;
}

/** One signal's news for one dedup key. */
interface Unit {
  readonly dedupKey: string;
  readonly rule: EngineRule | null;
  readonly signal: Signal | null;
}

const SYSTEM_ACTOR = 'firewatch';

/** Keys per flush statement (6 parameters a key, well under every dialect's limit). */
const FLUSH_CHUNK = 500;

/**
 * Takes a batch of deliveries in, in ONE transaction: idempotency receipts, signal rows, rule
 * evaluation per dedup key (every key of the batch locked up front, in key order, so processes
 * sharing PostgreSQL never deadlock on them), alert decisions and their rows. Returns one outcome
 * per request, in order.
 */
export async function ingestBatch(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  requests: readonly IngestRequest[],
  context: AlertContext,
): Promise<IngestOutcome[]> {
  return db.transaction().execute(async (tx) => {
    const duplicates = await claimReceipts(tx, requests, context.now);
    const taken = requests.filter((_, i) => !duplicates[i]);
    await insertSignals(tx, capabilities, taken, context.now);

    const perRequest: Unit[][] = requests.map((request, i) =>
      duplicates[i]
        ? []
        : request.signals.flatMap((signal) => unitsFor(signal, context.rules, request.ruleOnly ?? false)),
    );
    const units = perRequest.flat();
    const keys = await lockKeys(tx, capabilities, [...new Set(units.map((u) => u.dedupKey))], context.now);
    const work = new BatchWork(tx, capabilities, context, keys);
    const outcomes: IngestOutcome[] = [];
    for (const [i, request] of requests.entries()) {
      const alerts: IngestOutcome['alerts'][number][] = [];
      for (const unit of perRequest[i] ?? []) {
        const done = await work.apply(unit);
        if (done) alerts.push(done);
      }
      outcomes.push({ duplicate: duplicates[i] ?? false, signals: request.signals.length, alerts });
    }
    await work.flush();
    await storeResponses(tx, requests, duplicates, outcomes);
    return outcomes;
  });
}

/**
 * Lets time pass for the given keys (rules judged on the clock: heartbeat_missing, latency,
 * quorum; and flapping alerts that may have calmed down), in one transaction.
 */
export async function tickKeys(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  dedupKeys: readonly string[],
  context: AlertContext,
): Promise<number> {
  if (dedupKeys.length === 0) return 0;
  return db.transaction().execute(async (tx) => {
    const keys = await lockKeys(tx, capabilities, dedupKeys, context.now);
    const rules = new Map(context.rules.map((r) => [r.id, r]));
    const work = new BatchWork(tx, capabilities, context, keys);
    let changed = 0;
    for (const key of keys.values()) {
      const rule = key.ruleId === null ? null : (rules.get(key.ruleId) ?? null);
      if (key.ruleId !== null && rule === null) continue; // rule removed or disabled
      if (await work.apply({ dedupKey: key.dedupKey, rule, signal: null })) changed++;
    }
    await work.flush();
    return changed;
  });
}

/** The dedup keys a signal touches: one per matching rule (per subject), or its own when no rule matches. */
function unitsFor(signal: Signal, rules: readonly EngineRule[], ruleOnly: boolean): Unit[] {
  const matching = rules.filter((r) => ruleMatches(r.rule, signal));
  if (matching.length === 0) return ruleOnly ? [] : [{ dedupKey: signal.dedupKey, rule: null, signal }];
  return matching.map((r) => ({
    dedupKey: `rule:${r.rule.key}:${subjectOf(r.rule, signal)}`,
    rule: r,
    signal,
  }));
}

async function claimReceipts(tx: Tx, requests: readonly IngestRequest[], now: number): Promise<boolean[]> {
  const duplicates: boolean[] = [];
  for (const request of requests) {
    if (request.integrationId === null || request.idempotencyKey === null) {
      duplicates.push(false);
      continue;
    }
    // A concurrent insert of the same key (another process) waits here until that one commits.
    const inserted = await tx
      .insertInto('ingest_receipts')
      .values({
        integration_id: request.integrationId,
        idempotency_key: request.idempotencyKey,
        received_at: now,
        response: '{}',
      })
      .onConflict((oc) => oc.columns(['integration_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    duplicates.push(Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0);
  }
  return duplicates;
}

async function storeResponses(
  tx: Tx,
  requests: readonly IngestRequest[],
  duplicates: readonly boolean[],
  outcomes: readonly IngestOutcome[],
): Promise<void> {
  for (const [i, request] of requests.entries()) {
    if (duplicates[i] || request.integrationId === null || request.idempotencyKey === null) continue;
    await tx
      .updateTable('ingest_receipts')
      .set({ response: JSON.stringify(outcomes[i]) })
      .where('integration_id', '=', request.integrationId)
      .where('idempotency_key', '=', request.idempotencyKey)
      .execute();
  }
}

async function insertSignals(
  tx: Tx,
  capabilities: Capabilities,
  requests: readonly IngestRequest[],
  now: number,
): Promise<void> {
  const rows = requests.flatMap((request) =>
    request.signals.map((s) => ({
      id: newId('sig', now),
      integration_id: request.integrationId,
      source: s.source,
      type: s.type,
      dedup_key: s.dedupKey,
      status: s.status,
      community: s.community,
      component: s.component,
      severity: s.severity,
      summary: s.summary,
      details: JSON.stringify(s.details),
      labels: JSON.stringify(s.labels),
      occurred_at: s.occurredAt,
      received_at: now,
    })),
  );
  const chunk = Math.floor(capabilities.maxParameters / 14);
  for (let i = 0; i < rows.length; i += chunk) {
    await tx
      .insertInto('signals')
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}

/** Creates missing alert_keys rows, then locks and loads all of them in key order. */
async function lockKeys(
  tx: Tx,
  capabilities: Capabilities,
  dedupKeys: readonly string[],
  now: number,
): Promise<Map<string, KeyState>> {
  const sorted = [...dedupKeys].sort();
  const chunk = Math.floor(capabilities.maxParameters / 4);
  const flap = JSON.stringify(INITIAL_FLAP_STATE);
  for (let i = 0; i < sorted.length; i += chunk) {
    await tx
      .insertInto('alert_keys')
      .values(sorted.slice(i, i + chunk).map((k) => ({ dedup_key: k, flap, updated_at: now })))
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .execute();
  }
  const locked = new Map<string, KeyState>();
  for (let i = 0; i < sorted.length; i += chunk) {
    let select = tx
      .selectFrom('alert_keys')
      .leftJoin('alerts', 'alerts.id', 'alert_keys.alert_id')
      .select([
        'alert_keys.dedup_key',
        'alert_keys.rule_id',
        'alert_keys.rule_state',
        'alert_keys.flap',
        'alerts.id as alert_id',
        'alerts.status as alert_status',
        'alerts.flapping',
        'alerts.resolved_at',
        'alerts.group_id',
        'alerts.last_signal_at',
      ])
      .where('alert_keys.dedup_key', 'in', sorted.slice(i, i + chunk))
      .orderBy('alert_keys.dedup_key');
    if (capabilities.rowLocks) select = select.forUpdate('alert_keys');
    for (const row of await select.execute()) {
      locked.set(row.dedup_key, {
        dedupKey: row.dedup_key,
        ruleId: row.rule_id,
        ...storedRuleState(row.rule_state),
        flap: JSON.parse(row.flap) as FlapState,
        alert:
          row.alert_id !== null && row.alert_status !== null
            ? {
                id: row.alert_id,
                status: row.alert_status as AlertStatus,
                flapping: row.flapping === 1,
                resolvedAt: row.resolved_at,
                groupId: row.group_id,
              }
            : null,
        pendingRepeats: 0,
        lastSignalAt: row.last_signal_at ?? 0,
        dirty: false,
      });
    }
  }
  return locked;
}

/** Applies units to locked keys, writing alert rows as it goes and key rows at flush. */
class BatchWork {
  readonly #tx: Tx;
  readonly #capabilities: Capabilities;
  readonly #context: AlertContext;
  readonly #keys: Map<string, KeyState>;
  #mutes: { silences: ActiveSilence[]; maintenances: ActiveMaintenance[] } | null = null;

  constructor(tx: Tx, capabilities: Capabilities, context: AlertContext, keys: Map<string, KeyState>) {
    this.#tx = tx;
    this.#capabilities = capabilities;
    this.#context = context;
    this.#keys = keys;
  }

  async apply(unit: Unit): Promise<IngestOutcome['alerts'][number] | null> {
    const key = this.#keys.get(unit.dedupKey);
    if (!key) throw new Error(`alert key ${unit.dedupKey} was not locked`);
    const now = this.#context.now;
    // A rule whose kind changed (same key, new definition) starts from a fresh state.
    if (unit.rule && key.ruleKind !== null && key.ruleKind !== unit.rule.rule.kind)
      key.ruleState = INITIAL_RULE_STATE;
    if (unit.rule) key.ruleKind = unit.rule.rule.kind;
    const evaluation = unit.rule
      ? evaluateRule(key.ruleState, unit.signal, unit.rule.rule, now)
      : directEvaluation(key.ruleState, unit.signal, now);
    key.ruleState = evaluation.state;
    key.dirty = true;
    if (unit.rule) key.ruleId = unit.rule.id;
    if (unit.signal) {
      key.lastSignalAt = Math.max(key.lastSignalAt, unit.signal.occurredAt);
      key.lastSignal = { ...unit.signal, details: {} };
    }

    const flap = unit.rule?.rule.flap ?? this.#context.settings.flap;
    const decision = decideAlert(
      key.alert,
      key.flap,
      {
        active: evaluation.state.active,
        changed: evaluation.changed,
        problemSignal: unit.signal?.status === 'problem',
        autoResolve: unit.rule?.rule.autoResolve ?? true,
        flap,
      },
      now,
    );
    key.flap = decision.flap;
    return this.#act(key, unit, decision, evaluation.reason);
  }

  async #act(
    key: KeyState,
    unit: Unit,
    decision: AlertDecision,
    reason: string | null,
  ): Promise<IngestOutcome['alerts'][number] | null> {
    const now = this.#context.now;
    const action = decision.action;
    const events: AlertEventInput[] = [];
    let result: IngestOutcome['alerts'][number] | null = null;

    // A clock tick fires with the subject of the last signal the key saw.
    const subject = unit.signal ?? key.lastSignal;
    if (action.kind === 'create' && subject) {
      const id = await this.#create(key, unit, subject, action.flapping, reason);
      return { id, action: 'created', dedupKey: key.dedupKey };
    }
    if (action.kind === 'reopen' && key.alert && subject) {
      await this.#reopen(key, unit, subject, action.flapping, reason);
      return { id: key.alert.id, action: 'reopened', dedupKey: key.dedupKey };
    }

    // Flapping flag changes first, so a flapping alert that calms down reads "stopped", then "resolved".
    const alert = key.alert;
    if (alert && alert.status !== 'resolved') {
      if (decision.startedFlapping && !alert.flapping) {
        await this.#setFlapping(alert.id, true);
        key.alert = { ...alert, flapping: true };
        events.push(flapEvent(alert.id, 'flapping_started', unit, now));
      } else if (decision.stoppedFlapping && alert.flapping) {
        await this.#setFlapping(alert.id, false);
        key.alert = { ...alert, flapping: false };
        events.push(flapEvent(alert.id, 'flapping_stopped', unit, now));
      }
    }
    await appendAlertEvents(this.#tx, this.#capabilities, events);

    if (action.kind === 'repeat' && key.alert) {
      key.pendingRepeats++;
      result = { id: key.alert.id, action: 'repeated', dedupKey: key.dedupKey };
    } else if (action.kind === 'resolve' && key.alert && key.alert.status !== 'resolved') {
      await this.#flushRepeats(key);
      const resolved = await resolveAlert(this.#tx, this.#capabilities, key.alert, {
        resolution: 'auto',
        actor: SYSTEM_ACTOR,
        reason: reason ?? 'the condition cleared',
        at: now,
      });
      if (resolved) {
        key.alert = { ...key.alert, status: 'resolved', resolvedAt: now };
        result = { id: key.alert.id, action: 'resolved', dedupKey: key.dedupKey };
      }
    }
    return result;
  }

  async #create(
    key: KeyState,
    unit: Unit,
    signal: Signal,
    flapping: boolean,
    reason: string | null,
  ): Promise<string> {
    const now = this.#context.now;
    const shape = alertShape(unit, signal, reason, this.#context.settings);
    const id = newId('alr', now);
    const mutedBy = await this.#muteFor(shape.labels);
    const group = await this.#joinGroup(key, unit, signal, shape.labels, shape.summary);
    await this.#tx
      .insertInto('alerts')
      .values({
        id,
        dedup_key: key.dedupKey,
        rule_id: unit.rule?.id ?? null,
        group_id: group.groupId,
        status: 'firing',
        severity: shape.severity,
        source: signal.source,
        summary: shape.summary,
        details: JSON.stringify(signal.details),
        labels: JSON.stringify(shape.labels),
        community: signal.community,
        component: signal.component,
        flapping: flapping ? 1 : 0,
        muted_by: mutedBy,
        owner: null,
        repeat_count: 0,
        fired_at: now,
        last_signal_at: signal.occurredAt,
        acknowledged_at: null,
        resolved_at: null,
        resolution: null,
        timebox_ends_at: null,
        timebox_state: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const events: AlertEventInput[] = [
      {
        alertId: id,
        kind: 'created',
        actor: SYSTEM_ACTOR,
        reason: reason ?? shape.summary,
        data: { group_id: group.groupId, group_opened: group.opened, severity: shape.severity },
        at: now,
      },
    ];
    if (flapping) events.push(flapEvent(id, 'flapping_started', unit, now));
    if (mutedBy) events.push({ alertId: id, kind: 'muted', actor: SYSTEM_ACTOR, reason: mutedBy, at: now });
    await appendAlertEvents(this.#tx, this.#capabilities, events);
    key.alert = { id, status: 'firing', flapping, resolvedAt: null, groupId: group.groupId };
    return id;
  }

  async #reopen(
    key: KeyState,
    unit: Unit,
    signal: Signal,
    flapping: boolean,
    reason: string | null,
  ): Promise<void> {
    const alert = key.alert;
    if (!alert) return;
    const now = this.#context.now;
    const shape = alertShape(unit, signal, reason, this.#context.settings);
    const group = await this.#joinGroup(key, unit, signal, shape.labels, shape.summary);
    const updated = await this.#tx
      .updateTable('alerts')
      .set({
        status: 'firing',
        resolved_at: null,
        resolution: null,
        owner: null,
        acknowledged_at: null,
        timebox_ends_at: null,
        timebox_state: null,
        flapping: flapping ? 1 : 0,
        group_id: group.groupId,
        last_signal_at: signal.occurredAt,
        updated_at: now,
      })
      .where('id', '=', alert.id)
      .where('status', '=', 'resolved')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new Error(`reopen alert ${alert.id}: it was not resolved any more`);
    }
    const events: AlertEventInput[] = [
      {
        alertId: alert.id,
        kind: 'reopened',
        actor: SYSTEM_ACTOR,
        reason: reason ?? 'the condition came back',
        data: { group_id: group.groupId },
        at: now,
      },
    ];
    if (flapping && !alert.flapping) events.push(flapEvent(alert.id, 'flapping_started', unit, now));
    await appendAlertEvents(this.#tx, this.#capabilities, events);
    key.alert = { ...alert, status: 'firing', flapping, resolvedAt: null, groupId: group.groupId };
  }

  /** Joins (or opens) the alert's group: see alerts/group-key.ts for what groups alerts. */
  #joinGroup(
    key: KeyState,
    unit: Unit,
    signal: Signal,
    labels: Readonly<Record<string, string>>,
    title: string,
  ) {
    const groupKey = groupKeyFor(
      key.dedupKey,
      labels,
      unit.rule?.rule.groupBy ?? [],
      signal.groupKey,
      unit.rule ? `rule:${unit.rule.rule.key}` : signal.source,
    );
    return joinGroup(this.#tx, this.#capabilities, groupKey, title, this.#context.now);
  }

  async #setFlapping(alertId: string, flapping: boolean): Promise<void> {
    await this.#tx
      .updateTable('alerts')
      .set({ flapping: flapping ? 1 : 0, updated_at: this.#context.now })
      .where('id', '=', alertId)
      .execute();
  }

  async #muteFor(labels: Readonly<Record<string, string>>): Promise<string | null> {
    this.#mutes ??= await loadMutes(this.#tx, this.#context.now);
    return findMute(labels, this.#mutes.silences, this.#mutes.maintenances, this.#context.now);
  }

  async #flushRepeats(key: KeyState): Promise<void> {
    if (key.pendingRepeats === 0 || !key.alert) return;
    const repeats = key.pendingRepeats;
    key.pendingRepeats = 0;
    await this.#tx
      .updateTable('alerts')
      .set((eb) => ({
        repeat_count: eb('repeat_count', '+', repeats),
        last_signal_at: key.lastSignalAt,
        updated_at: this.#context.now,
      }))
      .where('id', '=', key.alert.id)
      .execute();
  }

  /**
   * Writes repeat counts (one UPDATE … CASE per chunk) and every touched key's state (one upsert per
   * chunk): a batch costs a few statements, not one per key — round trips are what PostgreSQL waits on.
   */
  async flush(): Promise<void> {
    const now = this.#context.now;
    const dirty = [...this.#keys.values()].filter((k) => k.dirty);
    const repeats = dirty.filter(
      (k): k is KeyState & { alert: NonNullable<KeyState['alert']> } =>
        k.pendingRepeats > 0 && k.alert !== null,
    );
    for (let i = 0; i < repeats.length; i += FLUSH_CHUNK) {
      const part = repeats.slice(i, i + FLUSH_CHUNK);
      // Casts: PostgreSQL types a bare CASE of parameters as text.
      let count = sql`case id`;
      let last = sql`case id`;
      for (const k of part) {
        count = sql`${count} when ${k.alert.id} then cast(${k.pendingRepeats} as bigint)`;
        last = sql`${last} when ${k.alert.id} then cast(${k.lastSignalAt} as bigint)`;
      }
      await this.#tx
        .updateTable('alerts')
        .set({
          repeat_count: sql`repeat_count + ${count} end`,
          last_signal_at: sql`${last} end`,
          updated_at: now,
        })
        .where(
          'id',
          'in',
          part.map((k) => k.alert.id),
        )
        .execute();
      for (const k of part) k.pendingRepeats = 0;
    }
    const rows = dirty.map((key) => ({
      dedup_key: key.dedupKey,
      rule_id: key.ruleId,
      rule_state: JSON.stringify({ ...key.ruleState, kind: key.ruleKind, lastSignal: key.lastSignal }),
      flap: JSON.stringify(key.flap),
      alert_id: key.alert?.id ?? null,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      await this.#tx
        .insertInto('alert_keys')
        .values(rows.slice(i, i + FLUSH_CHUNK))
        .onConflict((oc) =>
          oc.column('dedup_key').doUpdateSet((eb) => ({
            rule_id: eb.ref('excluded.rule_id'),
            rule_state: eb.ref('excluded.rule_state'),
            flap: eb.ref('excluded.flap'),
            alert_id: eb.ref('excluded.alert_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }
}

/** alert_keys.rule_state holds the rule's state plus which kind wrote it and the key's last signal. */
function storedRuleState(json: string | null): Pick<KeyState, 'ruleState' | 'ruleKind' | 'lastSignal'> {
  if (json === null) return { ruleState: INITIAL_RULE_STATE, ruleKind: null, lastSignal: null };
  const { kind, lastSignal, ...ruleState } = JSON.parse(json) as RuleState & {
    kind?: string | null;
    lastSignal?: Signal | null;
  };
  return { ruleState, ruleKind: kind ?? null, lastSignal: lastSignal ?? null };
}

/** A signal no rule owns: its own status is the condition. */
function directEvaluation(state: RuleState, signal: Signal | null, now: number) {
  if (signal === null) return { state, changed: false, reason: null };
  const active = signal.status === 'problem';
  const changed = active !== state.active;
  return {
    state: { active, since: changed ? now : state.since, lastSignalAt: signal.occurredAt, data: {} },
    changed,
    reason: changed ? signal.summary : null,
  };
}

/** Summary, severity and labels of a new alert. */
function alertShape(unit: Unit, signal: Signal, reason: string | null, settings: AlertingSettings) {
  const signalLabels = labelsOf(signal);
  if (!unit.rule) {
    return {
      summary: signal.summary,
      severity: signal.severity ?? settings.defaultSeverity,
      labels: signalLabels,
    };
  }
  const rule = unit.rule.rule;
  const labels: Record<string, string> = { rule: rule.key, severity: rule.severity };
  for (const name of [...rule.per, ...rule.groupBy]) {
    const value = signalLabels[name];
    if (value !== undefined) labels[name] = value;
  }
  if (signal.community !== null) labels.community = signal.community;
  if (signal.component !== null) labels.component = signal.component;
  const subject = rule.per.map((name) => labels[name]).filter((v) => v !== undefined && v !== '');
  const where = subject.length > 0 ? ` (${subject.join(', ')})` : '';
  return {
    summary: `${rule.name}${where}${reason ? `: ${reason}` : ''}`,
    severity: rule.severity,
    labels,
  };
}

function flapEvent(
  alertId: string,
  kind: 'flapping_started' | 'flapping_stopped',
  unit: Unit,
  at: number,
): AlertEventInput {
  const flap = unit.rule?.rule.flap;
  return {
    alertId,
    kind,
    actor: SYSTEM_ACTOR,
    reason:
      kind === 'flapping_started'
        ? 'the condition changed too often: one alert, marked flapping, instead of a storm'
        : 'the condition has settled',
    data: flap ? { max_changes: flap.maxChanges, window_ms: flap.windowMs } : {},
    at,
  };
}
