import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import { renderCommunityPage, renderNotFoundPage } from '../../statuspage/render-community-page.js';
import { renderFleetPage } from '../../statuspage/render-fleet-page.js';
import { renderHistoryPage } from '../../statuspage/render-history-page.js';
import { renderIncidentPage, renderMissingPage } from '../../statuspage/render-incident-page.js';
import { renderMaintenancePage } from '../../statuspage/render-maintenance-page.js';
import { STATUS_SCRIPT, STATUS_SCRIPT_ETAG } from '../../statuspage/status-script.js';
import type { StatusSnapshot } from '../../statuspage/status-snapshot.js';
import { RenderMemo, sendVersioned } from '../cached-response.js';
import { registerStatusEvents } from './status-events-route.js';

const HTML = 'text/html; charset=utf-8';

/**
 * The policy on every public HTML page: a second wall behind escaping and sanitising. Only the page's own
 * stylesheet (inline) and /static/status.js run; forms post only to this site; no framing.
 */
export const STATUS_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The public status page's HTML: the fleet, each community, incidents, maintenance, history, the live
 * refresh stream (/events) and its script (the JSON, feeds and badges are in public-api-routes.ts).
 * Served only from the snapshot through RenderMemo; no database access per request.
 */
export function registerPublicStatusRoutes(app: FastifyInstance, snapshots: SnapshotCache): void {
  const memo = new RenderMemo();

  // Renders once per snapshot version and key. Misses are not memoised, so made-up addresses cannot
  // crowd real pages out of the memo.
  const sendPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: (snapshot: StatusSnapshot) => string | null,
    missing: (snapshot: StatusSnapshot) => string | null = () => null,
  ) => {
    const snapshot = snapshots.current;
    securePage(reply);
    const notFound = missing(snapshot);
    if (notFound !== null)
      return reply.code(404).header('cache-control', 'no-cache').type(HTML).send(notFound);
    const body = memo.get(key, snapshots.version, () => render(snapshot) ?? '');
    return sendVersioned(request, reply, { ...versionOf(snapshots, snapshot), contentType: HTML, body });
  };

  app.get<{ Querystring: { q?: string; status?: string } }>('/', async (request, reply) => {
    const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
    const filter = request.query.status === 'affected' ? 'affected' : 'all';
    return sendPage(request, reply, `fleet|${filter}|${query}`, (snapshot) =>
      renderFleetPage(snapshot, { query, filter }),
    );
  });

  app.get<{ Params: { slug: string } }>('/c/:slug', async (request, reply) => {
    const slug = request.params.slug;
    return sendPage(
      request,
      reply,
      `community|${slug}`,
      (snapshot) => renderCommunityPage(snapshot, slug),
      (snapshot) => (hasCommunity(snapshot, slug) ? null : renderNotFoundPage(snapshot.pageName, slug)),
    );
  });

  app.get<{ Params: { slug: string } }>('/c/:slug/history', async (request, reply) => {
    const slug = request.params.slug;
    return sendPage(
      request,
      reply,
      `history|${slug}`,
      (snapshot) => renderHistoryPage(snapshot, slug),
      (snapshot) => (hasCommunity(snapshot, slug) ? null : renderNotFoundPage(snapshot.pageName, slug)),
    );
  });

  app.get('/history', async (request, reply) =>
    sendPage(request, reply, 'history', (snapshot) => renderHistoryPage(snapshot, null)),
  );

  app.get<{ Params: { id: string } }>('/incidents/:id', async (request, reply) => {
    const id = request.params.id;
    return sendPage(
      request,
      reply,
      `incident|${id}`,
      (snapshot) => renderIncidentPage(snapshot, id),
      (snapshot) =>
        snapshot.incidents.some((i) => i.id === id)
          ? null
          : renderMissingPage(
              snapshot.pageName,
              'Incident not found',
              'This status page has no published incident at this address. It may have been mistyped, or be older than the history kept here.',
            ),
    );
  });

  app.get<{ Params: { id: string } }>('/maintenances/:id', async (request, reply) => {
    const id = request.params.id;
    return sendPage(
      request,
      reply,
      `maintenance|${id}`,
      (snapshot) => renderMaintenancePage(snapshot, id),
      (snapshot) =>
        snapshot.maintenances.some((m) => m.id === id)
          ? null
          : renderMissingPage(
              snapshot.pageName,
              'Maintenance not found',
              'This status page has no maintenance window at this address, or it is older than the history kept here.',
            ),
    );
  });

  // The URL carries a version (?v=), so browsers may keep it for a year.
  app.get('/static/status.js', async (request, reply) => {
    reply
      .header('etag', STATUS_SCRIPT_ETAG)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === STATUS_SCRIPT_ETAG) return reply.code(304).send();
    return reply.send(STATUS_SCRIPT);
  });

  registerStatusEvents(app, snapshots);
}

/** Sets the headers every public HTML page carries: the CSP, no MIME sniffing, no referrer leaks. */
export function securePage(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', STATUS_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin');
}

function hasCommunity(snapshot: StatusSnapshot, slug: string): boolean {
  return snapshot.communities.some((c) => c.slug === slug);
}

export function versionOf(snapshots: SnapshotCache, snapshot: StatusSnapshot) {
  return { version: snapshots.version, builtAt: snapshot.builtAt };
}
