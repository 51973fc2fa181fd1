import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from './guarded-lookup.js';
import type { ProbeContext } from './network-policy.js';
import { runTlsCheck } from './tls-check.js';
import { type TlsSpec, tlsSpec } from './tls-spec.js';

const DAY_MS = 86_400_000;

// The tests' own openssl config, so the system openssl.cnf does not change what gets issued.
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1
[ca]
default_ca = ca_default
[ca_default]
database = index.txt
new_certs_dir = .
serial = serial.txt
default_md = sha256
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
`;

interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

let dir = '';
let issued = 0;
let ca: KeyPair;
const servers: Server[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firewatch-tls-'));
  writeFileSync(join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial.txt'), '1000\n');
  ca = selfSigned('Firewatch Test CA', 3650, 'ca_ext');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Listens on 127.0.0.1 with a free port; the server and its open connections are closed after the test. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Runs openssl in the test directory; `command` is split on spaces, `rest` is passed as is. */
function openssl(command: string, ...rest: string[]): void {
  execFileSync('openssl', [...command.split(' '), ...rest], { cwd: dir, stdio: 'pipe' });
}

const NEW_KEY = '-config openssl.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';

function selfSigned(commonName: string, days: number, extensions: 'ca_ext' | 'leaf_ext'): KeyPair {
  const name = `cert${++issued}`;
  openssl(
    `req -x509 ${NEW_KEY} -keyout ${name}.key -out ${name}.pem -days ${days} -extensions ${extensions}`,
    '-subj',
    `/CN=${commonName}`,
  );
  return read(name);
}

/** A leaf for localhost and 127.0.0.1 signed by `issuer`; validity is `-days N` or `-startdate … -enddate …`. */
function signedLeaf(issuer: KeyPair, validity: string): KeyPair {
  const name = `cert${++issued}`;
  writeFileSync(join(dir, `${name}.ca.pem`), issuer.cert);
  writeFileSync(join(dir, `${name}.ca.key`), issuer.key);
  openssl(`req -new ${NEW_KEY} -keyout ${name}.key -out ${name}.csr -subj /CN=localhost`);
  openssl(
    `ca -config openssl.cnf -batch -notext -cert ${name}.ca.pem -keyfile ${name}.ca.key -in ${name}.csr ` +
      `-out ${name}.pem -extensions leaf_ext ${validity}`,
  );
  return read(name);
}

function read(name: string): KeyPair {
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  };
}

/** Serves TLS with `pair` (its cert may be a chain) on 127.0.0.1; returns the port. */
async function serveTls(pair: KeyPair): Promise<number> {
  return listen(createTlsServer(pair, (socket) => socket.end()));
}

function context(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    signal: new AbortController().signal,
    lookup,
    policy: { allowPrivateTargets: true },
    artifactsDir: dir,
    ...overrides,
  };
}

function spec(port: number, overrides: Partial<TlsSpec> = {}): TlsSpec {
  return tlsSpec('127.0.0.1', { port, timeoutMs: 5000, caPem: ca.cert, ...overrides });
}

function notAfterOf(pair: KeyPair): number {
  return Date.parse(new X509Certificate(pair.cert).validTo);
}

describe('trust', () => {
  it('passes for a certificate signed by the private CA given as caPem', async () => {
    const port = await serveTls(signedLeaf(ca, '-days 365'));
    expect(await runTlsCheck(spec(port), context())).toMatchObject({ ok: true, slow: false, reason: null });
  });

  it('fails a self-signed certificate as not trusted, naming the OpenSSL error and what to do', async () => {
    const port = await serveTls(selfSigned('localhost', 365, 'leaf_ext'));
    const outcome = await runTlsCheck(spec(port), context());
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toBe(
      'certificate is not trusted: DEPTH_ZERO_SELF_SIGNED_CERT (subject CN=localhost, issuer CN=localhost); ' +
        'trust its CA with caPem, or turn rejectUnauthorized off for a self-signed target',
    );
  });

  it('passes a self-signed certificate when rejectUnauthorized is off', async () => {
    const port = await serveTls(selfSigned('localhost', 365, 'leaf_ext'));
    const outcome = await runTlsCheck(spec(port, { rejectUnauthorized: false }), context());
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });

  it('fails a certificate from a private CA when only the system roots are trusted', async () => {
    const port = await serveTls(signedLeaf(ca, '-days 365'));
    const outcome = await runTlsCheck(spec(port, { caPem: null }), context());
    expect(outcome.reason).toMatch(
      /^certificate is not trusted: UNABLE_TO_\w+ \(subject CN=localhost, issuer CN=Firewatch Test CA\)/,
    );
  });

  it('fails when the certificate does not cover the servername', async () => {
    const port = await serveTls(signedLeaf(ca, '-days 365'));
    const outcome = await runTlsCheck(spec(port, { servername: 'status.example.org' }), context());
    expect(outcome.reason).toBe(
      "certificate is not trusted: hostname mismatch: Hostname/IP does not match certificate's altnames: " +
        "Host: status.example.org. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1",
    );
  });
});

describe('expiry', () => {
  it('warns when the certificate expires inside the warning window', async () => {
    const leaf = signedLeaf(ca, '-days 4');
    const port = await serveTls(leaf);
    const notAfter = notAfterOf(leaf);
    const outcome = await runTlsCheck(spec(port, { warnBeforeMs: 14 * DAY_MS }), context(), {
      now: () => notAfter - 3.5 * DAY_MS,
    });
    const day = new Date(notAfter).toISOString().slice(0, 10);
    expect(outcome.reason).toBe(
      `certificate expires in 3 days (on ${day}), within the 14-day warning window (subject CN=localhost)`,
    );
  });

  it('passes the same certificate when its expiry is beyond the warning window', async () => {
    const leaf = signedLeaf(ca, '-days 3');
    const port = await serveTls(leaf);
    const notAfter = notAfterOf(leaf);
    const outcome = await runTlsCheck(spec(port, { warnBeforeMs: DAY_MS }), context(), {
      now: () => notAfter - 2 * DAY_MS,
    });
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });

  it('fails an expired certificate with the day it expired', async () => {
    const port = await serveTls(signedLeaf(ca, '-startdate 20200101000000Z -enddate 20200201000000Z'));
    const outcome = await runTlsCheck(spec(port), context());
    expect(outcome.reason).toBe('certificate expired on 2020-02-01 (subject CN=localhost)');
  });

  it('fails a valid certificate as expired once the clock passes its notAfter', async () => {
    const leaf = signedLeaf(ca, '-days 365');
    const port = await serveTls(leaf);
    const later = notAfterOf(leaf) + DAY_MS;
    const outcome = await runTlsCheck(spec(port), context(), { now: () => later });
    expect(outcome.reason).toMatch(/^certificate expired on \d{4}-\d\d-\d\d \(subject CN=localhost\)$/);
  });

  it('warns about a CA in the served chain that expires before the leaf', async () => {
    const shortCa = selfSigned('Short-lived CA', 5, 'ca_ext');
    const leaf = signedLeaf(shortCa, '-days 365');
    const port = await serveTls({ key: leaf.key, cert: leaf.cert + shortCa.cert });
    const outcome = await runTlsCheck(spec(port, { caPem: shortCa.cert }), context());
    expect(outcome.reason).toMatch(
      /^chain certificate expires in 4 days \(on [\d-]+\), within the 14-day warning window \(subject CN=Short-lived CA\)$/,
    );
  });
});

describe('connection', () => {
  it('times out in the handshake when the server never speaks TLS', async () => {
    const port = await listen(createTcpServer(() => {}));
    const outcome = await runTlsCheck(spec(port, { timeoutMs: 300 }), context());
    expect(outcome.reason).toBe(`timed out after 300 ms in the TLS handshake with 127.0.0.1:${port}`);
  });

  it('reports a handshake failure when the server answers in plain text', async () => {
    const port = await listen(createTcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const outcome = await runTlsCheck(spec(port), context());
    expect(outcome.reason).toMatch(
      new RegExp(`^TLS handshake failed \\(ERR_SSL_\\w+\\) to 127.0.0.1:${port}: `),
    );
  });

  it('reports the network policy refusing an IP-literal target before connecting', async () => {
    const port = await serveTls(signedLeaf(ca, '-days 365'));
    const refuse: ProbeContext['lookup'] = (_host, _options, callback) =>
      callback(Object.assign(new Error('127.0.0.1 is a loopback address'), { code: 'EPOLICY' }), []);
    const outcome = await runTlsCheck(spec(port), context({ lookup: refuse }));
    expect(outcome.reason).toBe(
      `request failed (EPOLICY) to 127.0.0.1:${port}: 127.0.0.1 is a loopback address`,
    );
  });

  it('refuses 127.0.0.1 under a policy that forbids private targets', async () => {
    const port = await serveTls(signedLeaf(ca, '-days 365'));
    const outcome = await runTlsCheck(
      spec(port),
      context({ lookup: guardedLookup({ allowPrivateTargets: false }) }),
    );
    expect(outcome.reason).toMatch(
      /^refused to connect to 127\.0\.0\.1 \(loopback address\): private targets/,
    );
  });

  it('stops when the probe is cancelled', async () => {
    const port = await listen(createTcpServer(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await runTlsCheck(spec(port), context({ signal: controller.signal }));
    expect(outcome).toMatchObject({ ok: false, reason: 'probe cancelled before it finished' });
  });
});
