import type { FastifyInstance } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import { renderCommunityPage, renderNotFoundPage } from '../../statuspage/render-community-page.js';
import { renderFleetPage } from '../../statuspage/render-fleet-page.js';
import type { StatusSnapshot } from '../../statuspage/status-snapshot.js';
import {
  communityScope,
  componentsJson,
  fleetScope,
  statusJson,
  summaryJson,
  type V2Scope,
} from '../../statuspage/statuspage-v2.js';
import { RenderMemo, sendVersioned } from '../cached-response.js';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const DOCUMENTS: Readonly<Record<string, (scope: V2Scope) => unknown>> = {
  'summary.json': summaryJson,
  'status.json': statusJson,
  'components.json': componentsJson,
};

/**
 * The public status page: HTML for the fleet and each community, and the
 * Statuspage v2 JSON for both. Served only from the snapshot; no database access.
 */
export function registerPublicStatusRoutes(app: FastifyInstance, snapshots: SnapshotCache): void {
  const memo = new RenderMemo();

  app.get<{ Querystring: { q?: string; status?: string } }>('/', async (request, reply) => {
    const snapshot = snapshots.current;
    const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
    const filter = request.query.status === 'affected' ? 'affected' : 'all';
    const body = memo.get(`fleet|${filter}|${query}`, snapshots.version, () =>
      renderFleetPage(snapshot, { query, filter }),
    );
    return sendVersioned(request, reply, { ...versionOf(snapshots, snapshot), contentType: HTML, body });
  });

  app.get<{ Params: { slug: string } }>('/c/:slug', async (request, reply) => {
    const snapshot = snapshots.current;
    const slug = request.params.slug;
    if (!snapshot.communities.some((c) => c.slug === slug)) {
      return reply.code(404).type(HTML).send(renderNotFoundPage(snapshot.pageName, slug));
    }
    const body = memo.get(
      `community|${slug}`,
      snapshots.version,
      () => renderCommunityPage(snapshot, slug) ?? '',
    );
    return sendVersioned(request, reply, { ...versionOf(snapshots, snapshot), contentType: HTML, body });
  });

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

function versionOf(snapshots: SnapshotCache, snapshot: StatusSnapshot) {
  return { version: snapshots.version, builtAt: snapshot.builtAt };
}
