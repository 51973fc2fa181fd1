import { startBenchChild } from './bench-child.js';
const fw = await startBenchChild('./serve-firewatch.ts', { DATABASE_URL: 'sqlite:/tmp/fwsp/db/firewatch.db', FIREWATCH_DATA_DIR: '/tmp/fwsp/db', FIREWATCH_LOG_LEVEL: 'warn', FIREWATCH_ADMIN_TOKEN: 'fw_bench_0123456789abcdef0123456789' });
for (let i = 0; i < 4; i++) { fw.send({ type: 'reset' }); await new Promise(r => setTimeout(r, 6000)); console.log(await fw.stats()); }
await fw.stop();
