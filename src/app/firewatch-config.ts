import { parseDuration } from '../config/duration.js';
import type { SmtpSettings } from '../notify/message.js';
import { DEFAULT_RATE_LIMIT, type RateLimit } from '../notify/rate-limit.js';
import { DEFAULT_DATABASE_URL } from '../store/database.js';

/** Settings for one Firewatch process, from flags and environment. */
export interface FirewatchConfig {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** Name of the location this process checks from. */
  readonly location: string;
  readonly pageName: string;
  /** Public base URL of the status page; defaults to http://<host>:<port>. */
  readonly pageUrl: string | null;
  /** Directory for the admin token file (and the SQLite file by default). */
  readonly dataDir: string;
  /** Run the check scheduler in this process. */
  readonly runChecks: boolean;
  /** Serve the status page and API (false for `firewatch worker`). */
  readonly serveHttp: boolean;
  /** When set, this token is stored (hashed) with admin scope at start. */
  readonly adminToken: string | null;
  readonly logLevel: string;
  /** How often monitors are reloaded from the store to pick up `firewatch apply` (ms). */
  readonly reloadIntervalMs: number;
  /** SMTP server for email notifications (FIREWATCH_SMTP_URL, FIREWATCH_MAIL_FROM); null = no email. */
  readonly smtp: SmtpSettings | null;
  /** How long acknowledge/resolve links in notifications work (FIREWATCH_LINK_TTL_HOURS, default 24). */
  readonly linkTtlMs: number;
  /** Most messages to one address per window; more are bundled (FIREWATCH_NOTIFY_RATE_LIMIT, "10/1m"). */
  readonly notifyRateLimit: RateLimit;
}

export const DEFAULT_PORT = 8080;

/** Defaults, overridden by FIREWATCH_* environment variables. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): FirewatchConfig {
  const port = env.FIREWATCH_PORT ? Number(env.FIREWATCH_PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`FIREWATCH_PORT="${env.FIREWATCH_PORT}" is not a port number: use 0-65535`);
  }
  return {
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    host: env.FIREWATCH_HOST ?? '127.0.0.1',
    port,
    location: env.FIREWATCH_LOCATION ?? 'default',
    pageName: env.FIREWATCH_PAGE_NAME ?? 'Fleet status',
    pageUrl: env.FIREWATCH_PAGE_URL ?? null,
    dataDir: env.FIREWATCH_DATA_DIR ?? './data',
    runChecks: env.FIREWATCH_CHECKS !== 'off',
    serveHttp: true,
    adminToken: env.FIREWATCH_ADMIN_TOKEN ?? null,
    logLevel: env.FIREWATCH_LOG_LEVEL ?? 'info',
    reloadIntervalMs: 5_000,
    smtp: env.FIREWATCH_SMTP_URL
      ? { url: env.FIREWATCH_SMTP_URL, from: env.FIREWATCH_MAIL_FROM ?? 'Firewatch <firewatch@localhost>' }
      : null,
    linkTtlMs: linkTtlHours(env.FIREWATCH_LINK_TTL_HOURS) * 3_600_000,
    notifyRateLimit: rateLimit(env.FIREWATCH_NOTIFY_RATE_LIMIT),
  };
}

function linkTtlHours(text: string | undefined): number {
  if (text === undefined) return 24;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
    throw new Error(`FIREWATCH_LINK_TTL_HOURS="${text}" is not a number of hours: use 1-720`);
  }
  return hours;
}

function rateLimit(text: string | undefined): RateLimit {
  if (text === undefined) return DEFAULT_RATE_LIMIT;
  const how = 'write messages/window, e.g. 10/1m or 100/1h';
  const [count, window] = text.split('/');
  const limit = Number(count);
  let windowMs = Number.NaN;
  try {
    windowMs = parseDuration(window ?? '');
  } catch {}
  if (!Number.isInteger(limit) || limit < 1 || !(windowMs > 0)) {
    throw new Error(`FIREWATCH_NOTIFY_RATE_LIMIT="${text}" is not a rate: ${how}`);
  }
  return { limit, windowMs };
}
