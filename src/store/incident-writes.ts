import type { Kysely, Transaction, Updateable } from 'kysely';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { Capabilities } from './capabilities.js';
import type { Database } from './database.js';
import { IncidentError } from './incident-error.js';
import { getIncident, type IncidentDetail } from './incident-queries.js';
import { newId } from './new-id.js';
import type { IncidentRow, IncidentsTable, Schema } from './schema.js';
import { enqueueIncidentNotices } from './subscriber-notices.js';

// What every incident write shares: lock the row, check and bump its version, resolve component refs,
// write updates, enqueue subscriber notices. Not exported beyond the incident store files.

/** A transaction and what its database can do. */
export interface IncidentTx {
  readonly tx: Transaction<Schema>;
  readonly capabilities: Capabilities;
}

/** A component as incident writes need it: ids, names and its community's slug and name. */
export interface ComponentInfo {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  /** The monitored status (components.status). */
  readonly status: ComponentStatus;
  readonly communitySlug: string | null;
  readonly communityName: string | null;
}

/** One entry of an update's `affected` JSON. */
export interface AffectedEntry {
  readonly component_id: string;
  readonly name: string;
  readonly old_status: ComponentStatus;
  readonly new_status: ComponentStatus;
}

/** Runs `work` in a transaction on the locked incident `id`, then returns the incident as it is then. */
export async function withIncident(
  database: Database,
  id: string,
  work: (t: IncidentTx, row: IncidentRow) => Promise<void>,
): Promise<IncidentDetail> {
  return database.db.transaction().execute(async (tx) => {
    const t = { tx, capabilities: database.capabilities };
    await work(t, await lockIncident(t, id));
    return (await getIncident(tx, id)) as IncidentDetail;
  });
}

/** The incident row, locked for the transaction where the database has row locks; not_found without one. */
export async function lockIncident({ tx, capabilities }: IncidentTx, id: string): Promise<IncidentRow> {
  let select = tx.selectFrom('incidents').selectAll().where('id', '=', id);
  if (capabilities.rowLocks) select = select.forUpdate();
  const row = await select.executeTakeFirst();
  if (!row) {
    throw new IncidentError('not_found', `no incident ${id}`, {
      hint: 'list incidents with GET /api/v1/incidents?state=all',
    });
  }
  return row;
}

/** Refuses a change made against an older version of the incident than the stored one. */
export function checkVersion(row: IncidentRow, expected: number | undefined): void {
  if (expected === undefined || expected === Number(row.version)) return;
  throw new IncidentError(
    'conflict',
    `incident ${row.id} changed meanwhile (it is at version ${row.version}, the change was made at ${expected})`,
    {
      hint: 'look at the incident again (GET /api/v1/incidents/{id}) and retry with its version',
      field: 'version',
    },
  );
}

/** Updates the incident row if it is still at the version read, bumping the version; conflict otherwise. */
export async function bumpIncident(
  tx: Kysely<Schema>,
  row: IncidentRow,
  set: Omit<Updateable<IncidentsTable>, 'id' | 'version'>,
  now: number,
): Promise<void> {
  const result = await tx
    .updateTable('incidents')
    .set({ ...set, version: Number(row.version) + 1, updated_at: now })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new IncidentError('conflict', `incident ${row.id} changed meanwhile; look again and retry`);
  }
}

/** The components named by `refs` and the refs that name none (in the order given). */
export async function componentsByRef(
  tx: Kysely<Schema>,
  refs: readonly string[],
): Promise<{ readonly found: ReadonlyMap<string, ComponentInfo>; readonly unknown: readonly string[] }> {
  const found = new Map<string, ComponentInfo>();
  if (refs.length > 0) {
    const rows = await componentQuery(tx)
      .where('components.ref', 'in', [...new Set(refs)])
      .execute();
    for (const row of rows) found.set(row.ref, toInfo(row));
  }
  return { found, unknown: [...new Set(refs.filter((ref) => !found.has(ref)))] };
}

/** The components with ids `ids` (unknown ids are left out). */
export async function componentsById(
  tx: Kysely<Schema>,
  ids: readonly string[],
): Promise<ReadonlyMap<string, ComponentInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await componentQuery(tx)
    .where('components.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, toInfo(row)]));
}

/** A timeline event about one component of an incident (actor and time are the caller's). */
export interface ComponentEvent {
  readonly kind: 'component_added' | 'component_status';
  readonly summary: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Gives each component of `wanted` (by id; all must exist) its status on the incident, adding those it
 * lacks; with `othersTo`, the incident's other components get that status too. Returns the `affected`
 * entries (one per component set, changed or not) and one event per component added or changed.
 */
export async function setComponentStatuses(
  tx: Kysely<Schema>,
  incidentId: string,
  wanted: ReadonlyMap<string, ComponentStatus>,
  now: number,
  othersTo?: ComponentStatus,
): Promise<{ readonly affected: readonly AffectedEntry[]; readonly events: readonly ComponentEvent[] }> {
  const rows = await tx
    .selectFrom('incident_components')
    .select(['component_id', 'status'])
    .where('incident_id', '=', incidentId)
    .execute();
  const existing = new Map(rows.map((r) => [r.component_id, r.status as ComponentStatus]));
  const statuses = new Map(wanted);
  if (othersTo !== undefined) {
    for (const id of existing.keys()) if (!statuses.has(id)) statuses.set(id, othersTo);
  }
  const infos = await componentsById(tx, [...statuses.keys()]);
  const affected: AffectedEntry[] = [];
  const events: ComponentEvent[] = [];
  for (const [componentId, status] of statuses) {
    const info = infos.get(componentId);
    if (!info)
      throw new Error(`set component statuses of incident ${incidentId}: no component ${componentId}`);
    const before = existing.get(componentId);
    affected.push({
      component_id: componentId,
      name: info.name,
      old_status: before ?? info.status,
      new_status: status,
    });
    if (before === status) continue;
    if (before === undefined) {
      await tx
        .insertInto('incident_components')
        .values({ incident_id: incidentId, component_id: componentId, status, added_at: now })
        .execute();
      events.push({
        kind: 'component_added',
        summary: `${componentLabel(info)} added (${words(status)})`,
        data: { component_id: componentId, ref: info.ref, status },
      });
    } else {
      await tx
        .updateTable('incident_components')
        .set({ status })
        .where('incident_id', '=', incidentId)
        .where('component_id', '=', componentId)
        .execute();
      events.push({
        kind: 'component_status',
        summary: `${componentLabel(info)}: ${words(before)} → ${words(status)}`,
        data: { component_id: componentId, ref: info.ref, from: before, to: status },
      });
    }
  }
  return { affected, events };
}

/** Inserts an incident_updates row and returns its id. */
export async function insertUpdate(
  tx: Kysely<Schema>,
  update: {
    readonly incidentId: string;
    readonly kind: 'public' | 'internal';
    readonly status: string;
    readonly body: string;
    readonly affected: readonly AffectedEntry[];
    readonly author: string;
    readonly published: boolean;
    readonly now: number;
  },
): Promise<string> {
  const id = newId('iup', update.now);
  await tx
    .insertInto('incident_updates')
    .values({
      id,
      incident_id: update.incidentId,
      kind: update.kind,
      status: update.status,
      body: update.body,
      affected: JSON.stringify(update.affected),
      author: update.author,
      state: update.published ? 'published' : 'draft',
      created_at: update.now,
      published_at: update.published ? update.now : null,
    })
    .execute();
  return id;
}

/** Enqueues subscriber notices for a public update that was just published (in the same transaction). */
export async function noticeUpdate(
  { tx, capabilities }: IncidentTx,
  incidentId: string,
  updateId: string,
  page: { readonly pageUrl: string; readonly pageName: string },
  now: number,
): Promise<void> {
  await enqueueIncidentNotices(
    tx,
    capabilities,
    { incidentId, updateId },
    { pageUrl: page.pageUrl, pageName: page.pageName },
    now,
  );
}

/** How a component is named in timeline sentences: "Hub (pangeo)" or "Cluster east". */
export function componentLabel(c: ComponentInfo): string {
  return c.communitySlug === null ? c.name : `${c.name} (${c.communitySlug})`;
}

function words(status: string): string {
  return status.replaceAll('_', ' ');
}

function componentQuery(tx: Kysely<Schema>) {
  return tx
    .selectFrom('components')
    .leftJoin('communities', 'communities.id', 'components.community_id')
    .select([
      'components.id',
      'components.ref',
      'components.name',
      'components.status',
      'communities.slug',
      'communities.name as community_name',
    ]);
}

function toInfo(row: {
  id: string;
  ref: string;
  name: string;
  status: string;
  slug: string | null;
  community_name: string | null;
}): ComponentInfo {
  return {
    id: row.id,
    ref: row.ref,
    name: row.name,
    status: row.status as ComponentStatus,
    communitySlug: row.slug,
    communityName: row.community_name,
  };
}
