import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type AddressClass, classifyAddress } from './address-class.js';
import type { NetworkPolicy } from './network-policy.js';

/** The error code of a connection refused by the network policy; networkErrorReason shows its message as is. */
export const PRIVATE_TARGET_CODE = 'EFWPRIVATE';

const CLASS_NAMES: Readonly<Record<Exclude<AddressClass, 'public'>, string>> = {
  loopback: 'loopback address',
  private: 'private address',
  'link-local': 'link-local address',
  metadata: 'cloud metadata address',
  'carrier-grade-nat': 'carrier-grade NAT address',
  'unique-local': 'unique-local address',
  unspecified: 'unspecified address',
  multicast: 'multicast address',
  reserved: 'reserved address',
  documentation: 'documentation address',
};

/** A probe target that resolved to a non-public address while the policy does not allow private targets. */
export class PrivateTargetError extends Error {
  readonly code = PRIVATE_TARGET_CODE;

  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: Exclude<AddressClass, 'public'>,
  ) {
    const what = host === address ? CLASS_NAMES[addressClass] : `${address}, ${CLASS_NAMES[addressClass]}`;
    super(
      `refused to connect to ${host} (${what}): private targets are not allowed — ` +
        'set allow_private_targets: true on the monitor if this is intended',
    );
    this.name = 'PrivateTargetError';
  }
}

/**
 * A dns.lookup-compatible resolver (single and `all: true`) for net/tls connect and undici that refuses, with
 * a PrivateTargetError, a name any of whose addresses is not public, unless the policy allows private targets.
 * The name is always resolved with `all: true` so the verdict does not depend on which address comes first.
 * net.connect does not call `lookup` for an IP-literal host: check those with assertTargetAllowed.
 */
export function guardedLookup(policy: NetworkPolicy, resolve: LookupFunction = lookup): LookupFunction {
  if (policy.allowPrivateTargets) return resolve;
  return (hostname, options, callback) => {
    const fail = (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '');
    resolve(hostname, { ...options, all: true }, (error, resolved, family) => {
      if (error) return fail(error);
      const addresses =
        typeof resolved === 'string' ? [{ address: resolved, family: family ?? 0 }] : resolved;
      const first = addresses[0];
      if (first === undefined) return fail(notFound(hostname));
      const refusal = refusalOf(hostname, addresses);
      if (refusal !== null) return fail(refusal);
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };
}

/**
 * Resolves `host` (a name or an IP literal) and rejects with a PrivateTargetError, like guardedLookup, when
 * the policy forbids where it points. For probes that do not connect through a lookup function, e.g. one
 * that sends packets to a configured DNS resolver address.
 */
export async function assertTargetAllowed(
  host: string,
  policy: NetworkPolicy,
  resolve: LookupFunction = lookup,
): Promise<void> {
  if (policy.allowPrivateTargets) return;
  const check = guardedLookup(policy, resolve);
  await new Promise<void>((settle, fail) => {
    check(host, { all: true }, (error) => (error ? fail(error) : settle()));
  });
}

function refusalOf(host: string, addresses: readonly LookupAddress[]): Error | null {
  for (const { address } of addresses) {
    let addressClass: AddressClass;
    try {
      addressClass = classifyAddress(address);
    } catch (cause) {
      return new Error(`resolving ${host} returned ${JSON.stringify(address)}, not an IP address`, { cause });
    }
    if (addressClass !== 'public') return new PrivateTargetError(host, address, addressClass);
  }
  return null;
}

function notFound(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no addresses found for ${host}`), { code: 'ENOTFOUND' });
}
