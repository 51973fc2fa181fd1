import autocannon from 'autocannon';
import { startBenchChild } from './bench-child.js';

const s = await startBenchChild('./zz-exp-server.ts', {});
const headers = { 'accept-encoding': 'gzip, deflate, br' };
for (let i = 0; i < 3; i++)
  for (const path of ['/bare', '/headers', '/hijack']) {
    const url = s.url + path;
    await autocannon({ url, connections: 100, duration: 2, headers });
    s.send({ type: 'reset' });
    const res = await autocannon({ url, connections: 100, duration: 4, headers });
    const st = await s.stats();
    console.log(
      path.padEnd(9),
      Math.round(res.requests.mean),
      'p99',
      res.latency.p99,
      'cpu us/req',
      ((st.cpuMs * 1000) / res.requests.total).toFixed(1),
    );
  }
await s.stop();
