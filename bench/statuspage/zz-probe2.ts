import { serialize, deserialize } from 'node:v8';
import { openDatabase } from '../../src/store/database.js';
import { loadStatusInputs } from '../../src/store/statuspage-repository.js';
import { projectStatus } from '../../src/statuspage/project-status.js';
const url = `sqlite:${process.argv[2]}/f.db`;
const now = Date.now();
const db = await openDatabase({ url });
const inputs = await loadStatusInputs(db.db, now);
for (let i = 0; i < 5; i++) {
  let s = performance.now();
  const snap = projectStatus(inputs, { pageName: 'x', pageUrl: 'http://x' }, now);
  const p = performance.now() - s;
  s = performance.now(); const buf = serialize(snap); const ser = performance.now() - s;
  s = performance.now(); deserialize(buf); const de = performance.now() - s;
  s = performance.now(); structuredClone(snap); const sc = performance.now() - s;
  console.log({ p: p.toFixed(1), ser: ser.toFixed(1), de: de.toFixed(1), sc: sc.toFixed(1), bytes: buf.length });
}
await db.close();
