import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:http';
import { type AddressInfo, connect, isIP, type LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  assertTargetAllowed,
  guardedLookup,
  PRIVATE_TARGET_CODE,
  PrivateTargetError,
} from './guarded-lookup.js';
import type { NetworkPolicy } from './network-policy.js';

const GUARDED: NetworkPolicy = { allowPrivateTargets: false };
const OPEN: NetworkPolicy = { allowPrivateTargets: true };

/** A resolver that answers from `records` (asynchronously, like dns.lookup) and says ENOTFOUND otherwise. */
function fakeResolver(records: Readonly<Record<string, readonly string[]>>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = (records[hostname] ?? []).map((address) => ({ address, family: isIP(address) }));
    setImmediate(() => {
      const first = addresses[0];
      if (first === undefined) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      } else if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

const RECORDS = {
  'example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'db.internal': ['10.0.0.5'],
  'split.example': ['93.184.216.34', '10.0.0.5'],
  'metadata.google.internal': ['169.254.169.254'],
  'broken.example': ['not-an-address'],
};

function lookupAll(lookup: LookupFunction, host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    );
  });
}

function lookupOne(lookup: LookupFunction, host: string): Promise<{ address: string; family?: number }> {
  return new Promise((resolve, reject) => {
    lookup(host, {}, (error, address, family) =>
      error ? reject(error) : resolve({ address: address as string, family }),
    );
  });
}

describe('guardedLookup', () => {
  const lookup = guardedLookup(GUARDED, fakeResolver(RECORDS));

  it('passes a name with only public addresses through, all of them or the first', async () => {
    expect(await lookupAll(lookup, 'example.com')).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    expect(await lookupOne(lookup, 'example.com')).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('refuses a name that resolves to a private address, saying what to do', async () => {
    const refusal = lookupOne(lookup, 'db.internal');
    await expect(refusal).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(refusal).rejects.toMatchObject({
      code: PRIVATE_TARGET_CODE,
      host: 'db.internal',
      address: '10.0.0.5',
      addressClass: 'private',
      message:
        'refused to connect to db.internal (10.0.0.5, private address): private targets are not allowed — ' +
        'set allow_private_targets: true on the monitor if this is intended',
    });
  });

  it('refuses a name with a public and a private address, however it is asked', async () => {
    await expect(lookupAll(lookup, 'split.example')).rejects.toMatchObject({
      code: 'EFWPRIVATE',
      address: '10.0.0.5',
    });
    await expect(lookupOne(lookup, 'split.example')).rejects.toMatchObject({ code: 'EFWPRIVATE' });
  });

  it('names a cloud metadata address as such', async () => {
    await expect(lookupOne(lookup, 'metadata.google.internal')).rejects.toThrow(
      'refused to connect to metadata.google.internal (169.254.169.254, cloud metadata address)',
    );
  });

  it('passes resolver errors through unchanged', async () => {
    await expect(lookupOne(lookup, 'nowhere.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('fails on a resolver answer that is not an IP address', async () => {
    await expect(lookupOne(lookup, 'broken.example')).rejects.toThrow(
      'resolving broken.example returned "not-an-address", not an IP address',
    );
  });

  it('checks IP literals, which dns.lookup returns unchanged', async () => {
    const real = guardedLookup(GUARDED);
    await expect(lookupOne(real, '127.0.0.1')).rejects.toThrow(
      'refused to connect to 127.0.0.1 (loopback address)',
    );
    await expect(lookupAll(real, '::1')).rejects.toMatchObject({
      code: 'EFWPRIVATE',
      addressClass: 'loopback',
    });
    expect(await lookupOne(real, '93.184.216.34')).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('resolves private names unchecked when the policy allows private targets', async () => {
    const open = guardedLookup(OPEN, fakeResolver(RECORDS));
    expect(await lookupOne(open, 'db.internal')).toEqual({ address: '10.0.0.5', family: 4 });
  });

  it('stops net.connect before it reaches a private address', async () => {
    let connections = 0;
    const server = createServer().on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect({ host: 'localhost', port, lookup: guardedLookup(GUARDED) });
      const error = await new Promise((resolve) => socket.on('error', resolve));
      expect(error).toMatchObject({ code: 'EFWPRIVATE', host: 'localhost', addressClass: 'loopback' });
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('assertTargetAllowed', () => {
  const resolver = fakeResolver(RECORDS);

  it('accepts a public name or address', async () => {
    await expect(assertTargetAllowed('example.com', GUARDED, resolver)).resolves.toBeUndefined();
    await expect(assertTargetAllowed('8.8.8.8', GUARDED)).resolves.toBeUndefined();
  });

  it('rejects a private resolver address or a name that resolves to one', async () => {
    await expect(assertTargetAllowed('10.0.0.53', GUARDED)).rejects.toThrow(
      'refused to connect to 10.0.0.53 (private address)',
    );
    await expect(assertTargetAllowed('db.internal', GUARDED, resolver)).rejects.toBeInstanceOf(
      PrivateTargetError,
    );
  });

  it('does not even resolve the host when the policy allows private targets', async () => {
    const failing: LookupFunction = () => {
      throw new Error('resolver should not be called');
    };
    await expect(assertTargetAllowed('db.internal', OPEN, failing)).resolves.toBeUndefined();
  });
});
