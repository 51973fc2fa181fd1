import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { seedStatuspageDb } from './seed-statuspage-db.js';
import { openDatabase } from '../../src/store/database.js';
import { loadStatusInputs } from '../../src/store/statuspage-repository.js';
import { projectStatus } from '../../src/statuspage/project-status.js';
import { renderFleetPage } from '../../src/statuspage/render-fleet-page.js';
import { renderCommunityPage } from '../../src/statuspage/render-community-page.js';
import { summaryJson, fleetScope } from '../../src/statuspage/statuspage-v2.js';
const dir = mkdtempSync(join(tmpdir(), 'fwsp-'));
const url = `sqlite:${join(dir, 'f.db')}`;
const now = Date.now();
console.log(await seedStatuspageDb(url, { communities: 200, perCommunity: 10 }, now));
const db = await openDatabase({ url });
const t = (label: string, f: () => unknown) => { const s = performance.now(); const r = f(); console.log(label, (performance.now() - s).toFixed(1), 'ms'); return r; };
for (let i = 0; i < 4; i++) {
  let s = performance.now();
  const inputs = await loadStatusInputs(db.db, now);
  console.log('load', (performance.now() - s).toFixed(1));
  const snap = t('project', () => projectStatus(inputs, { pageName: 'x', pageUrl: 'http://x' }, now)) as any;
  const fleet = t('fleet render', () => renderFleetPage(snap)) as string;
  const comm = t('community render', () => renderCommunityPage(snap, 'community-100')) as string;
  const summ = t('summary json', () => JSON.stringify(summaryJson(fleetScope(snap)))) as string;
  console.log('sizes', fleet.length, comm.length, summ.length);
  for (const [name, body] of [['fleet', fleet], ['comm', comm], ['summary', summ]] as const) {
    const buf = Buffer.from(body);
    t(`${name} gzip6 `, () => gzipSync(buf)); console.log(gzipSync(buf).length);
    t(`${name} gzip1 `, () => gzipSync(buf, {level: 1}));
    for (const q of [4, 5, 6, 11]) { const r = t(`${name} br${q}`, () => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } })) as Buffer; console.log(r.length); }
  }
}
await db.close();
