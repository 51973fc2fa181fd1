import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEMO_COMMUNITIES, type DemoCommunity } from './demo-communities.js';

/** The ways a demo community can be broken; each mimics a failure seen in real fleets. */
export const FAILURE_MODES = ['down', 'error', 'slow', 'not-found'] as const;

/**
 * down: connections reset; error: 500 everywhere; slow: correct answers after a delay;
 * not-found: pages say "Community Not Found" while /api/health still says ok.
 */
export type FailureMode = (typeof FAILURE_MODES)[number];

/** What a community is doing right now. */
export type CommunityMode = FailureMode | 'healthy';

export interface SimulatorOptions {
  /** 0 (the default) picks any free port. */
  readonly port?: number;
  readonly host?: '127.0.0.1';
  /** Required as `authorization: Bearer <token>` on every /_control request. */
  readonly controlToken: string;
  readonly communities?: readonly DemoCommunity[];
  /** How long a `slow` community takes to answer; 3000 ms unless a test needs it shorter. */
  readonly slowMs?: number;
}

/** A running fleet simulator; break, repair and modeOf throw on an unknown slug or mode. */
export interface Simulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4100. */
  readonly url: string;
  break(slug: string, mode: FailureMode): void;
  repair(slug: string): void;
  modeOf(slug: string): CommunityMode;
  /** Messages Firewatch's pages posted to the demo pager (`POST /_pager/<person>`), oldest first. */
  readonly pages: readonly PagerMessage[];
  /** Ends every open connection and pending slow answer; safe to call twice. */
  close(): Promise<void>;
}

/** One webhook the demo's people received from Firewatch: who, when, the title. */
export interface PagerMessage {
  readonly person: string;
  readonly at: string;
  readonly title: string;
}

const CONTROL_BODY_LIMIT = 10 * 1024;

/** True when `value` names a failure mode. */
export function isFailureMode(value: unknown): value is FailureMode {
  return typeof value === 'string' && (FAILURE_MODES as readonly string[]).includes(value);
}

/** Serves fake communities on 127.0.0.1 with a token-protected control API to break and repair them. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (options.controlToken.length === 0) throw new Error('startSimulator: controlToken must not be empty');
  const list = options.communities ?? DEMO_COMMUNITIES;
  const communities = new Map(list.map((c) => [c.slug, c]));
  if (communities.size !== list.length) throw new Error('startSimulator: community slugs must be unique');
  const modes = new Map<string, CommunityMode>([...communities.keys()].map((slug) => [slug, 'healthy']));
  const slowMs = options.slowMs ?? 3000;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const expectedAuth = Buffer.from(`Bearer ${options.controlToken}`);

  const checkSlug = (slug: string): void => {
    if (!communities.has(slug)) {
      throw new Error(`unknown community "${slug}"; known: ${[...communities.keys()].join(', ')}`);
    }
  };
  const breakCommunity = (slug: string, mode: FailureMode): void => {
    checkSlug(slug);
    if (!isFailureMode(mode))
      throw new Error(`unknown failure mode "${mode}"; use ${FAILURE_MODES.join(', ')}`);
    modes.set(slug, mode);
  };
  const repairCommunity = (slug: string): void => {
    checkSlug(slug);
    modes.set(slug, 'healthy');
  };
  const modeOf = (slug: string): CommunityMode => {
    checkSlug(slug);
    return modes.get(slug) ?? 'healthy';
  };

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!authorized(req)) {
      return sendError(res, 401, 'unauthorized', 'send the control token as "authorization: Bearer <token>"');
    }
    if (path === '/_control/state') {
      if (req.method !== 'GET') return sendError(res, 405, 'method_not_allowed', `use GET for ${path}`);
      const states = [...modes].map(([slug, mode]) => ({ slug, mode }));
      return sendJson(res, 200, { communities: states });
    }
    if (path !== '/_control/break' && path !== '/_control/repair') {
      return sendError(res, 404, 'not_found', `no control route ${path}; use break, repair or state`);
    }
    if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', `use POST for ${path}`);
    const body = await readJsonBody(req);
    if (!body.ok) return sendError(res, body.status, body.code, body.message);
    const { slug, mode } = body.value as { slug?: unknown; mode?: unknown };
    if (typeof slug !== 'string' || !communities.has(slug)) {
      return sendError(res, 400, 'unknown_slug', `unknown community ${JSON.stringify(slug)}`);
    }
    if (path === '/_control/repair') {
      repairCommunity(slug);
    } else if (isFailureMode(mode)) {
      breakCommunity(slug, mode);
    } else {
      const message = `unknown failure mode ${JSON.stringify(mode)}; use ${FAILURE_MODES.join(', ')}`;
      return sendError(res, 400, 'unknown_mode', message);
    }
    return sendJson(res, 200, { slug, mode: modeOf(slug) });
  };

  const handleCommunity = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const [, slug = '', ...rest] = path.split('/');
    const community = communities.get(slug);
    const mode = modes.get(slug) ?? 'healthy';
    const reply = community
      ? communityReply(community, rest.join('/'), rest.length === 0, mode)
      : noSuchCommunity(slug);
    if (reply === 'reset') {
      // A dead server: the TCP connection is reset before any byte of a response.
      req.socket.resetAndDestroy();
      return;
    }
    if (mode !== 'slow' || !community) {
      send(res, reply);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send(res, reply);
    }, slowMs);
    timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  // The demo's people have a webhook "phone": Firewatch posts pages here, GET /_pager lists them.
  const pages: PagerMessage[] = [];
  const handlePager = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (req.method === 'GET' && path === '/_pager') {
      const items = pages.map(
        (p) =>
          `<li>${escapeHtml(p.at)} <strong>${escapeHtml(p.person)}</strong>: ${escapeHtml(p.title)}</li>`,
      );
      const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo pager</title></head><body><h1>Pages received</h1><ol>${items.join('')}</ol></body></html>`;
      send(res, { status: 200, headers: HTML, body });
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, 405, 'method_not_allowed', 'POST pages to /_pager/<person>');
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= CONTROL_BODY_LIMIT * 10) chunks.push(chunk);
    });
    req.on('end', () => {
      let title = '(unreadable)';
      try {
        title = String((JSON.parse(Buffer.concat(chunks).toString()) as { title?: unknown }).title ?? title);
      } catch {}
      pages.push({ person: path.slice('/_pager/'.length), at: new Date().toISOString(), title });
      if (pages.length > 200) pages.shift();
      send(res, { status: 204, headers: TEXT, body: '' });
    });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (path.startsWith('/_control/')) {
      handleControl(req, res, path).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'internal', `control request failed: ${String(error)}`);
      });
      return;
    }
    if (path === '/_pager' || path.startsWith('/_pager/')) return handlePager(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, 'method_not_allowed', 'demo communities only answer GET and HEAD');
    }
    if (path === '/')
      return send(res, { status: 200, headers: HTML, body: indexPage([...communities.values()]) });
    handleCommunity(req, res, path);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    break: breakCommunity,
    repair: repairCommunity,
    modeOf,
    pages,
    close,
  };
}

/** A complete HTTP answer, decided before anything is written. */
interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const HTML = { 'content-type': 'text/html; charset=utf-8' } as const;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;

/** What a community answers at `route` (the path after `/<slug>/`) in `mode`; 'reset' drops the connection. */
function communityReply(
  community: DemoCommunity,
  route: string,
  bare: boolean,
  mode: CommunityMode,
): Reply | 'reset' {
  if (mode === 'down') return 'reset';
  if (mode === 'error') return { status: 500, headers: TEXT, body: 'Internal Server Error\n' };
  if (bare) return { status: 301, headers: { location: `/${community.slug}/` }, body: '' };
  if (route === 'api/health') {
    // Health stays green in not-found mode: that is the failure server-only monitoring misses.
    const body = JSON.stringify({ status: 'ok', community: community.slug });
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
  }
  if (route !== '' && route !== 'login') return { status: 404, headers: TEXT, body: 'Not Found\n' };
  if (mode === 'not-found') return { status: 200, headers: HTML, body: notFoundPage() };
  return { status: 200, headers: HTML, body: route === '' ? frontPage(community) : loginPage(community) };
}

function noSuchCommunity(slug: string): Reply {
  return { status: 404, headers: TEXT, body: `No community "${slug}" here.\n` };
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

async function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    code: 'body_too_large',
    message: `control requests are limited to ${CONTROL_BODY_LIMIT} bytes`,
  } as const;
  if (Number(req.headers['content-length'] ?? 0) > CONTROL_BODY_LIMIT) return tooLarge;
  const chunks: Buffer[] = [];
  const complete = await new Promise<boolean>((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining so the 413 answer can still be written, but stop keeping bytes.
      if (size > CONTROL_BODY_LIMIT) resolve(false);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= CONTROL_BODY_LIMIT));
    req.on('error', reject);
  });
  if (!complete) return tooLarge;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value };
  } catch {
    // Falls through to the same answer as a non-object body.
  }
  return {
    ok: false,
    status: 400,
    code: 'invalid_body',
    message: 'send a JSON object like {"slug":"pangeo"}',
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  });
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  // An unread oversized body would otherwise keep the connection busy.
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, { error: { code, message } });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, ...body: readonly string[]): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

function frontPage(c: DemoCommunity): string {
  return page(
    c.name,
    `<h1>Welcome to ${escapeHtml(c.name)}</h1>`,
    `<p>${escapeHtml(c.description)}</p>`,
    `<p><a href="/${c.slug}/login">Sign in</a> to start your server.</p>`,
  );
}

function loginPage(c: DemoCommunity): string {
  return page(
    `Sign in to ${c.name}`,
    '<h1>Sign in</h1>',
    `<form method="post" action="/${c.slug}/login">`,
    '<label>Username <input name="username"></label>',
    '<label>Password <input name="password" type="password"></label>',
    '<button type="submit">Sign in</button>',
    '</form>',
  );
}

function notFoundPage(): string {
  return page(
    'Community Not Found',
    '<h1>Community Not Found</h1>',
    '<p>There is no community at this address.</p>',
  );
}

function indexPage(list: readonly DemoCommunity[]): string {
  const items = list.map((c) => `<li><a href="/${c.slug}/">${escapeHtml(c.name)}</a></li>`);
  return page('Firewatch demo fleet', '<h1>Firewatch demo fleet</h1>', '<ul>', ...items, '</ul>');
}
