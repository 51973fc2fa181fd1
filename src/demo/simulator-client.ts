import type { CommunityMode, FailureMode } from './simulator.js';

/** One community's mode as the simulator reports it. */
export interface CommunityState {
  readonly slug: string;
  readonly mode: CommunityMode;
}

/** The whole simulated fleet as `GET /_control/state` reports it. */
export interface SimulatorState {
  readonly communities: readonly CommunityState[];
}

const REQUEST_TIMEOUT_MS = 5000;

/** Puts one community into a failure mode; throws with the simulator's message if it refuses. */
export async function breakCommunity(
  baseUrl: string,
  token: string,
  slug: string,
  mode: FailureMode,
): Promise<CommunityState> {
  return (await control(baseUrl, token, 'POST', '/_control/break', { slug, mode })) as CommunityState;
}

/** Returns one community to healthy; throws with the simulator's message if it refuses. */
export async function repairCommunity(baseUrl: string, token: string, slug: string): Promise<CommunityState> {
  return (await control(baseUrl, token, 'POST', '/_control/repair', { slug })) as CommunityState;
}

/** Reads every community's current mode. */
export async function simulatorState(baseUrl: string, token: string): Promise<SimulatorState> {
  return (await control(baseUrl, token, 'GET', '/_control/state')) as SimulatorState;
}

async function control(
  baseUrl: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: Readonly<Record<string, string>>,
): Promise<unknown> {
  const base = baseUrl.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new Error(`the demo simulator is not running at ${base}: start it with \`npm run demo\``, {
      cause,
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message = errorMessage(parsed) ?? (text.trim() || response.statusText);
    throw new Error(`demo simulator ${method} ${path} failed (HTTP ${response.status}): ${message}`);
  }
  if (parsed === undefined) {
    throw new Error(
      `demo simulator ${method} ${path} answered with something other than JSON: ${text.slice(0, 200)}`,
    );
  }
  return parsed;
}

function errorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const { error } = body;
  if (typeof error === 'string') return error;
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return undefined;
}
