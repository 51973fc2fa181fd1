import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { probeDispatcher } from './probe-dispatcher.js';

let server: Server | undefined;
let connections = 0;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serveLocally(): Promise<string> {
  connections = 0;
  server = createServer((_req, res) => res.end('ok')).on('connection', () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeDispatcher', () => {
  it('hands out one dispatcher per policy', () => {
    expect(probeDispatcher({ allowPrivateTargets: false })).toBe(
      probeDispatcher({ allowPrivateTargets: false }),
    );
    expect(probeDispatcher({ allowPrivateTargets: true })).toBe(
      probeDispatcher({ allowPrivateTargets: true }),
    );
    expect(probeDispatcher({ allowPrivateTargets: true })).not.toBe(
      probeDispatcher({ allowPrivateTargets: false }),
    );
  });

  it('refuses a private target when it would connect, so the server sees nothing', async () => {
    const url = await serveLocally();
    const sent = request(url, { dispatcher: probeDispatcher({ allowPrivateTargets: false }) });
    await expect(sent).rejects.toMatchObject({ code: 'EFWPRIVATE', address: '127.0.0.1' });
    expect(connections).toBe(0);
  });

  it('refuses an https target on a private address before the handshake', async () => {
    const sent = request('https://127.0.0.1:9/', {
      dispatcher: probeDispatcher({ allowPrivateTargets: false }),
    });
    await expect(sent).rejects.toMatchObject({ code: 'EFWPRIVATE', addressClass: 'loopback' });
  });

  it('connects to a private target when the policy allows it', async () => {
    const url = await serveLocally();
    const response = await request(url, { dispatcher: probeDispatcher({ allowPrivateTargets: true }) });
    expect(await response.body.text()).toBe('ok');
    expect(connections).toBe(1);
  });
});
