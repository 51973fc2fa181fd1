import type { Impact, IncidentStatus, UpdateKind } from '../incidents/incident.js';
import { checkTransition } from '../incidents/incident-transitions.js';
import { nextUpdateDueAt } from '../incidents/update-cadence.js';
import { rowForImpact } from '../oncall/urgency-matrix.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { Database } from './database.js';
import { IncidentError } from './incident-error.js';
import { type IncidentEventInput, recordIncidentEvents } from './incident-events.js';
import type { IncidentDetail } from './incident-queries.js';
import type { IncidentSettings } from './incident-repository.js';
import {
  bumpIncident,
  checkVersion,
  componentsByRef,
  insertUpdate,
  noticeUpdate,
  setComponentStatuses,
  withIncident,
} from './incident-writes.js';

/** A public update (may move status, impact and component statuses) or an internal note (changes nothing). */
export interface IncidentUpdateInput {
  readonly kind: UpdateKind;
  /** Markdown. */
  readonly body: string;
  readonly status?: IncidentStatus;
  readonly impact?: Impact;
  readonly components?: readonly { readonly ref: string; readonly status: ComponentStatus }[];
  /** Default: a draft exactly while the incident is unpublished (drafts exist only before publishing). */
  readonly draft?: boolean;
  readonly actor: string;
  /** The incident version the author saw; another stored version is a conflict. */
  readonly expectedVersion?: number;
}

/**
 * Posts an update in one transaction. A public one moves status (checked by checkTransition), impact
 * and component statuses, records each component's old → new status in `affected`, sets the next
 * update's due time by cadence (none once resolved) and, when published, enqueues subscriber notices;
 * resolving sets every component it does not name to operational. An internal note only adds the note.
 * Throws IncidentError (not_found, conflict, invalid_request).
 */
export async function postIncidentUpdate(
  database: Database,
  id: string,
  input: IncidentUpdateInput,
  settings: IncidentSettings,
  now: number,
): Promise<IncidentDetail> {
  return withIncident(database, id, async (t, row) => {
    const { tx } = t;
    checkVersion(row, input.expectedVersion);
    const event = (kind: IncidentEventInput['kind'], summary: string, data: Record<string, unknown>) => ({
      incidentId: id,
      kind,
      actor: input.actor,
      summary,
      data,
      at: now,
    });
    if (input.kind === 'internal') {
      const changes = (['status', 'impact', 'components', 'draft'] as const).filter(
        (f) => input[f] !== undefined,
      );
      if (changes.length > 0) {
        throw new IncidentError('invalid_request', `an internal note cannot set ${changes.join(', ')}`, {
          field: changes[0]!,
          hint: 'post a public update to change status, impact or components',
        });
      }
      const updateId = await insertUpdate(tx, {
        incidentId: id,
        kind: 'internal',
        status: row.status,
        body: input.body,
        affected: [],
        author: input.actor,
        published: true,
        now,
      });
      await bumpIncident(tx, row, {}, now);
      await recordIncidentEvents(tx, [
        event('note', `Note by ${input.actor}: ${firstLine(input.body)}`, { update_id: updateId }),
      ]);
      return;
    }

    const incidentPublished = row.published_at !== null;
    const draft = input.draft ?? !incidentPublished;
    if (draft && incidentPublished) {
      throw new IncidentError(
        'conflict',
        `incident ${id} is published: its public updates go out when posted`,
        {
          field: 'draft',
          hint: 'leave out "draft", or write an internal note (kind "internal") to share words with the team only',
        },
      );
    }
    if (!draft && !incidentPublished) {
      throw new IncidentError('conflict', `incident ${id} is an unpublished draft`, {
        field: 'draft',
        hint: 'publish it with its draft updates (POST /api/v1/incidents/{id}/publish), or leave out "draft"',
      });
    }
    const from = row.status as IncidentStatus;
    const to = input.status ?? from;
    const check = checkTransition(from, to);
    if (!check.ok)
      throw new IncidentError('conflict', `incident ${id} is ${from}: ${check.reason}`, { field: 'status' });

    const given = input.components ?? [];
    const { found, unknown } = await componentsByRef(
      tx,
      given.map((c) => c.ref),
    );
    if (unknown.length > 0) {
      throw new IncidentError(
        'invalid_request',
        `unknown component ${unknown.map((r) => `"${r}"`).join(', ')}`,
        {
          field: 'components',
          hint: 'name components by ref: <community slug>/<key> or shared/<key>',
        },
      );
    }
    const { affected, events: componentEvents } = await setComponentStatuses(
      tx,
      id,
      new Map(given.map((c) => [found.get(c.ref)!.id, c.status])),
      now,
      to === 'resolved' && from !== 'resolved' ? 'operational' : undefined,
    );

    const impact = input.impact ?? (row.impact as Impact);
    const open = to !== 'resolved' && to !== 'postmortem';
    const reopened = open && from === 'resolved';
    await bumpIncident(
      tx,
      row,
      {
        status: to,
        impact,
        severity: impact === row.impact ? row.severity : rowForImpact(settings.matrix, impact).severity,
        ...(to === 'monitoring' && from !== 'monitoring' ? { monitoring_at: now } : {}),
        ...(to === 'resolved' && from !== 'resolved' ? { resolved_at: now } : {}),
        ...(to === 'postmortem' ? { postmortem_at: now } : {}),
        ...(reopened ? { resolved_at: null, recovered_at: null } : {}),
        ...(draft
          ? {}
          : {
              next_update_due_at: open ? nextUpdateDueAt(impact, settings.policy, now) : null,
              update_reminders: 0,
            }),
      },
      now,
    );
    const updateId = await insertUpdate(tx, {
      incidentId: id,
      kind: 'public',
      status: to,
      body: input.body,
      affected,
      author: input.actor,
      published: !draft,
      now,
    });
    await recordIncidentEvents(tx, [
      ...(to === from ? [] : [event('status_changed', `Status changed from ${from} to ${to}`, { from, to })]),
      ...(impact === row.impact
        ? []
        : [
            event('impact_changed', `Impact changed from ${row.impact} to ${impact}`, {
              from: row.impact,
              to: impact,
            }),
          ]),
      ...componentEvents.map((e) => event(e.kind, e.summary, e.data)),
      draft
        ? event('update_drafted', `Draft update written (${to}) — publish the incident to show it`, {
            update_id: updateId,
          })
        : event('update_published', `Public update posted (${to})`, { update_id: updateId }),
    ]);
    if (!draft) await noticeUpdate(t, id, updateId, settings, now);
  });
}

/**
 * Publishes an unpublished incident with all its draft updates in one action: they become public,
 * subscriber notices go out for each, and the update cadence starts. Publishing a published incident
 * changes nothing. Throws IncidentError (not_found, conflict on `expectedVersion`).
 */
export async function publishIncident(
  database: Database,
  id: string,
  actor: string,
  settings: IncidentSettings,
  now: number,
  expectedVersion?: number,
): Promise<IncidentDetail> {
  return withIncident(database, id, async (t, row) => {
    const { tx } = t;
    checkVersion(row, expectedVersion);
    if (row.published_at !== null) return;
    const drafts = await tx
      .selectFrom('incident_updates')
      .select('id')
      .where('incident_id', '=', id)
      .where('kind', '=', 'public')
      .where('state', '=', 'draft')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const ids = drafts.map((d) => d.id);
    if (ids.length > 0) {
      await tx
        .updateTable('incident_updates')
        .set({ state: 'published', published_at: now })
        .where('id', 'in', ids)
        .execute();
    }
    const open = row.status !== 'resolved' && row.status !== 'postmortem';
    await bumpIncident(
      tx,
      row,
      {
        published_at: now,
        next_update_due_at: open ? nextUpdateDueAt(row.impact as Impact, settings.policy, now) : null,
        update_reminders: 0,
      },
      now,
    );
    await recordIncidentEvents(tx, [
      {
        incidentId: id,
        kind: 'published',
        actor,
        summary: `Published by ${actor}${ids.length > 0 ? ` with ${ids.length} update${ids.length === 1 ? '' : 's'}` : ''}`,
        data: { update_ids: ids },
        at: now,
      },
    ]);
    for (const updateId of ids) await noticeUpdate(t, id, updateId, settings, now);
  });
}

/** The first line of a note, cut to 120 characters, for its timeline sentence. */
function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
