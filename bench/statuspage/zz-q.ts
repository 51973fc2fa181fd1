import SQLite from 'better-sqlite3';
const db = new SQLite('/tmp/fwsp/db/firewatch.db', { readonly: true });
const now = Date.now(); const DAY=86400000; const first = now - now%DAY - 89*DAY;
const t = (l: string, f: () => any) => { const s = performance.now(); const r = f(); console.log(l.padEnd(30), (performance.now()-s).toFixed(1), Array.isArray(r)? r.length: r); return r; };
for (let i=0;i<3;i++) {
t('raw indexed', () => db.prepare("select monitor_id, bucket, checks, failures from check_rollups where granularity='day' and bucket >= ?").all(first));
t('raw not indexed', () => db.prepare("select monitor_id, bucket, checks, failures from check_rollups not indexed where granularity='day' and bucket >= ?").all(first));
t('raw not indexed .raw()', () => db.prepare("select monitor_id, bucket, checks, failures from check_rollups not indexed where granularity='day' and bucket >= ?").raw().all(first));
t('count only', () => db.prepare("select count(*), sum(checks) from check_rollups where granularity='day' and bucket >= ?").all(first));
t('group per component sums', () => db.prepare("select m.component_id, sum(r.checks), sum(r.failures) from check_rollups r join monitors m on m.id = r.monitor_id where r.granularity='day' and r.bucket >= ? group by m.component_id").all(first));
t('today only', () => db.prepare("select monitor_id, bucket, checks, failures from check_rollups where granularity='day' and bucket >= ?").all(now - now%DAY));
}
