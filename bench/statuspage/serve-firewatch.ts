// The Firewatch side of the status-page bench, run as a child process (see run-statuspage-bench.ts):
// startFirewatch() with checks off on DATABASE_URL, listening on 127.0.0.1 port 0. Prints
// `BENCH_URL <url>` once it serves. Bench hooks live here, not in src/:
// - BENCH_FLIP_EVERY_MS=<ms> (or an IPC message { type: 'flip', everyMs }) flips one component at a time
//   between operational and major_outage the way the check pipeline records it — a conditional update of
//   components.status plus a component_status_changes row in one transaction — then invalidates the
//   snapshot and nudges the incident automation, as the pipeline's onComponentChange does;
// - IPC { type: 'stats' } answers with event-loop delay, rebuilds and flip-to-visible times since the
//   last { type: 'reset' }.
import { configFromEnv } from '../../src/app/firewatch-config.js';
import { startFirewatch } from '../../src/app/start-firewatch.js';
import { newId } from '../../src/store/new-id.js';
import { answerStats } from './server-stats.js';

const config = { ...configFromEnv(process.env), runChecks: false, port: 0, host: '127.0.0.1' };
const firewatch = await startFirewatch(config);
const { db } = firewatch.database;
const componentIds = (await db.selectFrom('components').select('id').orderBy('position').execute()).map(
  (c) => c.id,
);

let rebuilds = 0;
let flips = 0;
let pendingSince: number | null = null;
let visible: number[] = [];
firewatch.snapshots.subscribe(() => {
  rebuilds++;
  if (pendingSince !== null) visible.push(performance.now() - pendingSince);
  pendingSince = null;
});

let flipTimer: NodeJS.Timeout | undefined;
let next = 0;
function flipEvery(ms: number): void {
  clearInterval(flipTimer);
  flipTimer = undefined;
  if (ms > 0) flipTimer = setInterval(() => void flipOne(), ms);
}

async function flipOne(): Promise<void> {
  const id = componentIds[next++ % componentIds.length];
  if (id === undefined) return;
  const at = Date.now();
  const changed = await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('components').select('status').where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    const to = row.status === 'operational' ? 'major_outage' : 'operational';
    const updated = await tx
      .updateTable('components')
      .set({ status: to, status_changed_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await tx
      .insertInto('component_status_changes')
      .values({
        id: newId('csc', at),
        component_id: id,
        from_status: row.status,
        to_status: to,
        reason: 'bench flip',
        monitor_id: null,
        at,
      })
      .execute();
    return true;
  });
  if (!changed) return;
  flips++;
  pendingSince ??= performance.now();
  firewatch.snapshots.invalidate();
  firewatch.incidents.nudge();
}

answerStats({
  extra: () => {
    const sorted = [...visible].sort((a, b) => a - b);
    return {
      rebuilds,
      flips,
      flipToVisibleP50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? null,
      flipToVisibleMaxMs: sorted.at(-1) ?? null,
    };
  },
  onReset: () => {
    rebuilds = 0;
    flips = 0;
    visible = [];
  },
  onOther: (message) => {
    if (message.type === 'flip') flipEvery(message.everyMs ?? 0);
  },
});

async function shutDown(): Promise<void> {
  flipEvery(0);
  await firewatch.stop();
  process.exit(0);
}
process.on('disconnect', () => void shutDown());
process.on('SIGTERM', () => void shutDown());

flipEvery(Number(process.env.BENCH_FLIP_EVERY_MS ?? 0));
process.stdout.write(`BENCH_URL ${firewatch.url}\n`);
