import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import {
  type Badge,
  communityStatusBadge,
  communityUptimeBadge,
  fleetStatusBadge,
  renderBadge,
} from '../../statuspage/badges.js';
import { communityFeed, type Feed, fleetFeed, renderAtom, renderRss } from '../../statuspage/feeds.js';
import type { SnapshotCommunity, StatusSnapshot } from '../../statuspage/status-snapshot.js';
import { communityScope, fleetScope, V2_DOCUMENTS } from '../../statuspage/statuspage-v2.js';
import { RenderMemo, sendVersioned } from '../cached-response.js';
import { versionOf } from './public-status-routes.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const SVG_TYPE = 'image/svg+xml; charset=utf-8';
const FEEDS = {
  rss: { type: 'application/rss+xml; charset=utf-8', render: renderRss },
  atom: { type: 'application/atom+xml; charset=utf-8', render: renderAtom },
} as const satisfies Record<string, { type: string; render: (feed: Feed) => string }>;

/**
 * The public machine-readable side of the status page, fleet-wide and per community (under
 * /c/<slug>): Statuspage v2 JSON (/api/v2/<document>, nested paths included), RSS and Atom history
 * feeds (/history.rss, /history.atom) and SVG badges (/badge.svg, and /c/<slug>/uptime.svg). Served
 * only from the snapshot, rendered once per snapshot version; no database access.
 */
export function registerPublicApiRoutes(app: FastifyInstance, snapshots: SnapshotCache): void {
  const memo = new RenderMemo();

  /** Serves what `render` makes of the current snapshot, rendered once per snapshot version. */
  function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    contentType: string,
    render: (snapshot: StatusSnapshot) => string,
  ) {
    const snapshot = snapshots.current;
    const body = memo.get(key, snapshots.version, () => render(snapshot));
    return sendVersioned(request, reply, { ...versionOf(snapshots, snapshot), contentType, body });
  }

  /**
   * Serves what `render` makes of one community, or 404 for an unknown slug (checked before the memo,
   * so made-up slugs never take memo entries).
   */
  function serveCommunity(
    request: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    key: string,
    contentType: string,
    render: (snapshot: StatusSnapshot, community: SnapshotCommunity) => string,
  ) {
    const { slug } = request.params;
    const found = snapshots.current.communities.find((c) => c.slug === slug);
    if (!found) return reply.callNotFound();
    return serve(request, reply, `c/${slug}|${key}`, contentType, (snapshot) => render(snapshot, found));
  }

  app.get<{ Params: { '*': string } }>('/api/v2/*', async (request, reply) => {
    const path = request.params['*'];
    const render = Object.hasOwn(V2_DOCUMENTS, path) ? V2_DOCUMENTS[path] : undefined;
    if (!render) return reply.callNotFound();
    return serve(request, reply, `v2|fleet|${path}`, JSON_TYPE, (snapshot) =>
      JSON.stringify(render(fleetScope(snapshot))),
    );
  });

  app.get<{ Params: { slug: string; '*': string } }>('/c/:slug/api/v2/*', async (request, reply) => {
    const path = request.params['*'];
    const render = Object.hasOwn(V2_DOCUMENTS, path) ? V2_DOCUMENTS[path] : undefined;
    if (!render) return reply.callNotFound();
    return serveCommunity(request, reply, `v2|${path}`, JSON_TYPE, (snapshot, community) =>
      JSON.stringify(render(communityScope(snapshot, community))),
    );
  });

  for (const [format, feed] of Object.entries(FEEDS)) {
    app.get(`/history.${format}`, async (request, reply) =>
      serve(request, reply, `feed|fleet|${format}`, feed.type, (snapshot) =>
        feed.render(fleetFeed(snapshot)),
      ),
    );
    app.get<{ Params: { slug: string } }>(`/c/:slug/history.${format}`, async (request, reply) =>
      serveCommunity(request, reply, `feed|${format}`, feed.type, (snapshot, community) =>
        feed.render(communityFeed(snapshot, community)),
      ),
    );
  }

  app.get('/badge.svg', async (request, reply) =>
    serve(request, reply, 'badge|fleet', SVG_TYPE, (snapshot) => renderBadge(fleetStatusBadge(snapshot))),
  );

  const communityBadges: Readonly<Record<string, (community: SnapshotCommunity) => Badge>> = {
    'badge.svg': communityStatusBadge,
    'uptime.svg': communityUptimeBadge,
  };
  for (const [file, badge] of Object.entries(communityBadges)) {
    app.get<{ Params: { slug: string } }>(`/c/:slug/${file}`, async (request, reply) =>
      serveCommunity(request, reply, `badge|${file}`, SVG_TYPE, (_snapshot, community) =>
        renderBadge(badge(community)),
      ),
    );
  }
}
