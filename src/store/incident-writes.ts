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
