import type { FastifyInstance } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import { renderCommunityPage, renderNotFoundPage } from '../../statuspage/render-community-page.js';
import { renderFleetPage } from '../../statuspage/render-fleet-page.js';
import type { StatusSnapshot } from '../../statuspage/status-snapshot.js';
import { RenderMemo, sendVersioned } from '../cached-response.js';

const HTML = 'text/html; charset=utf-8';

/**
 * The public status page's HTML for the fleet and each community (the JSON, feeds and badges
 * are in public-api-routes.ts). Served only from the snapshot; no database access.
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
}

export function versionOf(snapshots: SnapshotCache, snapshot: StatusSnapshot) {
  return { version: snapshots.version, builtAt: snapshot.builtAt };
}
