import autocannon from 'autocannon';
import { startBenchChild } from './bench-child.js';

const fw = await startBenchChild('./serve-firewatch.ts', {
  DATABASE_URL: 'sqlite:/tmp/fwsp/db/firewatch.db',
  FIREWATCH_DATA_DIR: '/tmp/fwsp/db',
  FIREWATCH_LOG_LEVEL: 'warn',
  FIREWATCH_ADMIN_TOKEN: 'fw_bench_0123456789abcdef0123456789',
});
const bare = await startBenchChild('./bare-server.ts', {
  BENCH_BODY_FILE: '/tmp/fwsp/body.br',
  BENCH_CONTENT_ENCODING: 'br',
});
const headers = { 'accept-encoding': 'gzip, deflate, br' };
const targets: [string, string, typeof fw][] = [
  ['bare', `${bare.url}/bare`, bare],
  ['fleet', `${fw.url}/`, fw],
  ['healthz', `${fw.url}/healthz`, fw],
];
for (let i = 0; i < Number(process.argv[2] ?? 2); i++) {
  for (const [name, url, server] of targets) {
    await autocannon({ url, connections: 100, duration: 2, headers });
    server.send({ type: 'reset' });
    const res = await autocannon({ url, connections: 100, duration: 5, headers });
    const st = await server.stats();
    console.log(
      name.padEnd(8),
      Math.round(res.requests.mean),
      'p50',
      res.latency.p50,
      'p99',
      res.latency.p99,
      'cpu us/req',
      ((st.cpuMs * 1000) / res.requests.total).toFixed(1),
      'loop p99/max',
      st.loopDelayP99Ms.toFixed(1),
      st.loopDelayMaxMs.toFixed(0),
    );
  }
}
await bare.stop();
await fw.stop();
