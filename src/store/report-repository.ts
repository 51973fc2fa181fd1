import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import {
  decideIntake,
  type IntakeDecision,
  type ReportableComponent,
  type ReportLimits,
  type WindowCount,
} from '../ingest/community-report.js';
import type { Database } from './database.js';
import { newId } from './new-id.js';
import { getReport, type ReportView } from './report-queries.js';
import { linkReportWithin } from './report-triage.js';
import type { Schema } from './schema.js';

type Tx = Transaction<Schema>;

const SALT_KEY = 'report_address_salt';

/** The actor name intake's automatic links carry (triaged_by and the timeline). */
export const AUTOMATION_ACTOR = 'automation';

/** A community as the report form sees it: what reports may name as their component. */
export interface ReportCommunity {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** Its own components, then the shared infrastructure it depends on. */
  readonly components: readonly ReportableComponent[];
}

/** A report that passed validation, ready to be stored. */
export interface NewReport {
  readonly communityId: string;
  readonly componentId: string | null;
  readonly description: string;
  readonly contact: string | null;
  /** hashReportAddress(salt, address): never the address itself. */
  readonly addressHash: string;
}

/** What intake did: stored the report (linked to an open incident or waiting in the inbox), or refused it. */
export type SubmitResult =
  | { readonly report: ReportView; readonly incidentTitle: string | null }
  | { readonly refused: Extract<IntakeDecision, { accept: false }> };

/**
 * The server's salt for hashing reporter addresses: created (random, 32 bytes) on first use and kept in
 * the settings table, so every process hashes alike and a stored hash cannot be reversed by trying
 * every IPv4 address without it.
 */
export async function reportAddressSalt(db: Kysely<Schema>, now: number): Promise<string> {
  const stored = await readSalt(db);
  if (stored !== null) return stored;
  await db
    .insertInto('settings')
    .values({ key: SALT_KEY, value: JSON.stringify(randomBytes(32).toString('hex')), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // Another process may have created it first: read back whichever won.
  const created = await readSalt(db);
  if (created === null) throw new Error('create the report address salt: the settings row is missing');
  return created;
}

/** The community with this slug and the components its reports may name, or null. */
export async function findReportCommunity(db: Kysely<Schema>, slug: string): Promise<ReportCommunity | null> {
  const community = await db
    .selectFrom('communities')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!community) return null;
  const own = await db
    .selectFrom('components')
    .select(['id', 'ref', 'name'])
    .where('community_id', '=', community.id)
    .orderBy('position')
    .orderBy('ref')
    .execute();
  const shared = await db
    .selectFrom('community_dependencies as d')
    .innerJoin('components as c', 'c.id', 'd.component_id')
    .select(['c.id', 'c.ref', 'c.name'])
    .where('d.community_id', '=', community.id)
    .orderBy('c.position')
    .orderBy('c.ref')
    .execute();
  return { ...community, components: [...own, ...shared] };
}

/**
 * Stores a community report unless a limit refuses it (decideIntake), in one transaction. When an open,
 * published incident affects the community, the report is linked to the newest such incident at once
 * (triaged by `automation`, lead time recorded); otherwise it waits as `new` in the triage inbox.
 * On PostgreSQL the community row is locked while counting, so concurrent posts cannot overshoot its cap.
 */
export async function submitReport(
  database: Database,
  input: NewReport,
  limits: ReportLimits,
  now: number,
): Promise<SubmitResult> {
  return database.db.transaction().execute(async (tx) => {
    if (database.capabilities.rowLocks) {
      await tx
        .selectFrom('communities')
        .select('id')
        .where('id', '=', input.communityId)
        .forUpdate()
        .execute();
    }
    const decision = decideIntake(
      {
        address: await recentCount(tx, 'address_hash', input.addressHash, now - limits.perAddress.windowMs),
        community: await recentCount(
          tx,
          'community_id',
          input.communityId,
          now - limits.perCommunity.windowMs,
        ),
      },
      limits,
      now,
    );
    if (!decision.accept) return { refused: decision };

    const id = newId('rpt', now);
    await tx
      .insertInto('community_reports')
      .values({
        id,
        community_id: input.communityId,
        component_id: input.componentId,
        description: input.description,
        contact: input.contact,
        address_hash: input.addressHash,
        state: 'new',
        incident_id: null,
        triaged_by: null,
        triaged_at: null,
        triage_note: null,
        created_at: now,
      })
      .execute();
    const incident = await newestOpenIncident(tx, input.communityId);
    if (incident) {
      const stored = await requireView(tx, id);
      await linkReportWithin(
        tx,
        database.capabilities,
        stored,
        incident.id,
        { name: AUTOMATION_ACTOR, now },
        ['new'],
      );
    }
    return { report: await requireView(tx, id), incidentTitle: incident?.title ?? null };
  });
}

async function recentCount(
  tx: Tx,
  column: 'address_hash' | 'community_id',
  value: string,
  after: number,
): Promise<WindowCount> {
  const row = await tx
    .selectFrom('community_reports')
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.min('created_at').as('oldest')])
    .where(column, '=', value)
    .where('created_at', '>', after)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldestAt: row.oldest === null ? null : Number(row.oldest) };
}

/** The newest open, published incident affecting one of the community's components or shared ones it uses. */
async function newestOpenIncident(tx: Tx, communityId: string) {
  return tx
    .selectFrom('incidents as i')
    .select(['i.id', 'i.title'])
    .where('i.status', 'in', [...OPEN_INCIDENT_STATUSES])
    .where('i.published_at', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('incident_components as ic')
          .innerJoin('components as c', 'c.id', 'ic.component_id')
          .select('ic.component_id')
          .whereRef('ic.incident_id', '=', 'i.id')
          .where(({ or, eb }) =>
            or([
              eb('c.community_id', '=', communityId),
              eb(
                'c.id',
                'in',
                tx
                  .selectFrom('community_dependencies')
                  .select('component_id')
                  .where('community_id', '=', communityId),
              ),
            ]),
          ),
      ),
    )
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function requireView(tx: Tx, id: string): Promise<ReportView> {
  const view = await getReport(tx, id);
  if (!view) throw new Error(`read back community report ${id}: it is missing`);
  return view;
}

async function readSalt(db: Kysely<Schema>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SALT_KEY).executeTakeFirst();
  if (!row) return null;
  const value = JSON.parse(row.value) as unknown;
  if (typeof value !== 'string' || value.length < 32) {
    throw new Error(`read the report address salt: settings row ${SALT_KEY} holds no usable salt`);
  }
  return value;
}
