import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { guardedLookup } from './guarded-lookup.js';
import type { NetworkPolicy } from './network-policy.js';

// Two agents for the whole process, so probes share undici's bookkeeping but never its connections: requests
// are sent with `reset: true`, so every check opens a fresh connection like a visitor's first page load.
const AGENTS = {
  open: new Agent({ connect: probeConnector({ allowPrivateTargets: true }) }),
  guarded: new Agent({ connect: probeConnector({ allowPrivateTargets: false }) }),
} as const;

/**
 * The undici dispatcher for HTTP(S) probes under `policy`: when private targets are not allowed, each
 * connection's address is checked as it is made (after DNS resolution, so DNS rebinding is caught too) and a
 * refused one fails the request with a PrivateTargetError before any byte is sent. Memoised per policy.
 */
export function probeDispatcher(policy: NetworkPolicy): Dispatcher {
  return policy.allowPrivateTargets ? AGENTS.open : AGENTS.guarded;
}

// TLS sessions are not cached, so every HTTPS check does a full handshake and verifies the certificate anew.
function probeConnector(policy: NetworkPolicy): buildConnector.connector {
  const lookup = guardedLookup(policy);
  const connect = buildConnector({ lookup, maxCachedSessions: 0 });
  if (policy.allowPrivateTargets) return connect;
  return (options, callback) => {
    // net.connect skips `lookup` for an IP-literal host, so those are checked here first. undici has
    // already taken the brackets off an IPv6 literal.
    if (isIP(options.hostname) === 0) return connect(options, callback);
    lookup(options.hostname, { all: true }, (error) =>
      error ? callback(error, null) : connect(options, callback),
    );
  };
}
