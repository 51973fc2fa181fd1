import type { FastifyInstance } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import {
  communityScope,
  componentsJson,
  fleetScope,
  statusJson,
  summaryJson,
  type V2Scope,
} from '../../statuspage/statuspage-v2.js';
import { RenderMemo, sendVersioned } from '../cached-response.js';
import { versionOf } from './public-status-routes.js';

const JSON_TYPE = 'application/json; charset=utf-8';

const DOCUMENTS: Readonly<Record<string, (scope: V2Scope) => unknown>> = {
  'summary.json': summaryJson,
  'status.json': statusJson,
  'components.json': componentsJson,
};

/**
 * The public machine-readable side of the status page: Statuspage v2 JSON fleet-wide and per
 * community. Served only from the snapshot; no database access.
 */
export function registerPublicApiRoutes(app: FastifyInstance, snapshots: SnapshotCache): void {
  const memo = new RenderMemo();

  app.get<{ Params: { document: string } }>('/api/v2/:document', async (request, reply) => {
    const render = DOCUMENTS[request.params.document];
    if (!render) return reply.callNotFound();
    const snapshot = snapshots.current;
    const body = memo.get(`v2|fleet|${request.params.document}`, snapshots.version, () =>
      JSON.stringify(render(fleetScope(snapshot))),
    );
    return sendVersioned(request, reply, { ...versionOf(snapshots, snapshot), contentType: JSON_TYPE, body });
  });

  app.get<{ Params: { slug: string; document: string } }>(
    '/c/:slug/api/v2/:document',
    async (request, reply) => {
      const render = DOCUMENTS[request.params.document];
      const snapshot = snapshots.current;
      const community = snapshot.communities.find((c) => c.slug === request.params.slug);
      if (!render || !community) return reply.callNotFound();
      const body = memo.get(`v2|${community.slug}|${request.params.document}`, snapshots.version, () =>
        JSON.stringify(render(communityScope(snapshot, community))),
      );
      return sendVersioned(request, reply, {
        ...versionOf(snapshots, snapshot),
        contentType: JSON_TYPE,
        body,
      });
    },
  );
}
