// Benchmarks the check engine: N HTTP keyword monitors against a local target in a separate process.
// Usage: node_modules/.bin/tsx bench/checks/run-checks-bench.ts [--monitors 10000] [--interval 30]
//          [--duration 2×interval+30] [--warmup interval+10] [--curve [--curve-monitors 1000,5000,10000,20000]]
// --curve runs each size in a fresh child process (so no point inherits another's heap) at --interval
// (default 20 s there) with a shorter --duration (default 60 s). See bench/checks/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ChecksRunResult, measureChecks } from './measure-checks.js';

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '10000' },
    interval: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    curve: { type: 'boolean', default: false },
    'curve-monitors': { type: 'string', default: '1000,5000,10000,20000' },
    'apply-in-child': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`run-checks-bench: --${name} "${text}" is not a positive number\n`);
    process.exit(2);
  }
  return n;
}

const curve = values.curve;
const intervalS = positive('interval', values.interval ?? (curve ? '20' : '30'));
const durationS = positive('duration', values.duration ?? String(curve ? 60 : 2 * intervalS + 30));
const warmupS = positive('warmup', values.warmup ?? String(intervalS + 10));
const sizes = curve
  ? values['curve-monitors'].split(',').map((s) => positive('curve-monitors', s))
  : [positive('monitors', values.monitors)];

const applyInChild = values['apply-in-child'];
const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

if (values.json) {
  // A child of --curve: one configuration, the result as JSON on stdout.
  const result = await measureChecks({
    monitors: sizes[0]!,
    intervalS,
    warmupS,
    durationS,
    applyInChild,
    log,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  log(
    `checks bench: ${sizes.join(', ')} monitors @ ${intervalS} s, warm-up ${warmupS} s, window ${durationS} s, ` +
      `${process.platform} ${process.version}`,
  );
  const results: ChecksRunResult[] = [];
  const failures: string[] = [];
  for (const monitors of sizes) {
    if (!curve) {
      results.push(await measureChecks({ monitors, intervalS, warmupS, durationS, applyInChild, log }));
      continue;
    }
    // One point failing (out of memory, say) is a finding; the other points still print.
    const result = await measureInChild(monitors);
    if (typeof result === 'string') failures.push(result);
    else results.push(result);
  }
  printTable(results);
  for (const failure of failures) console.log(`FAILED: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

/** Runs one configuration in a fresh process (this script with --json), bounded in time; a string if it failed. */
async function measureInChild(monitors: number): Promise<ChecksRunResult | string> {
  const args = [fileURLToPath(import.meta.url), '--json', '--monitors', String(monitors)];
  args.push('--interval', String(intervalS), '--duration', String(durationS), '--warmup', String(warmupS));
  if (applyInChild) args.push('--apply-in-child');
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  // Apply, warm-up, window and shutdown; anything beyond this budget is a hang.
  const budgetMs = (warmupS + durationS + 300) * 1000;
  const killer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), budgetMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  const line = out.trim().split('\n').at(-1);
  if (code !== 0 || !line) {
    return `${monitors} monitors @ ${intervalS}s: bench child exited with ${code ?? signal} (its stderr is above)`;
  }
  return JSON.parse(line) as ChecksRunResult;
}

function printTable(results: readonly ChecksRunResult[]): void {
  const rows = results.map((r) => {
    const per1k = (r.cpuS / Math.max(r.checksRun, 1)) * 1000;
    return [
      String(r.monitors),
      `${r.intervalS}s`,
      `${r.windowS.toFixed(0)}s`,
      `${(r.checksRun / r.windowS).toFixed(1)} / ${(r.expected / r.windowS).toFixed(1)}`,
      `${((100 * r.checksRun) / r.expected).toFixed(1)}%`,
      `${fmt(r.lagMs.p50)} / ${fmt(r.lagMs.p99)} / ${fmt(r.lagMs.max)}`,
      `≤${r.histogram.p99AtMostS}s ${(100 * r.histogram.shareUnder1s).toFixed(2)}%`,
      per1k.toFixed(2),
      `${((100 * r.cpuS) / r.windowS).toFixed(0)}%`,
      `${(r.peakRssBytes / MB).toFixed(0)}`,
      r.applyS.toFixed(1),
    ];
  });
  const header = [
    'monitors',
    'every',
    'window',
    'checks/s run / expected',
    'of expected',
    'lag ms p50 / p99 / max',
    'hist p99, ≤1s',
    'CPU s/1k',
    'CPU',
    'peak RSS MB',
    'apply s',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const r of results) {
    console.log(
      `${r.monitors} @ ${r.intervalS}s: ${r.rowsStarted} results started in window (${r.checksRun} finished), ` +
        `${r.failed} failed, ${r.skipped} skipped, ${r.storeErrors} store errors; event loop busy ` +
        `${(100 * r.eventLoopUtilization).toFixed(0)}%, loop delay p99 ${r.eventLoopDelayP99Ms.toFixed(0)} ms; ` +
        `RSS at engine start ${(r.rssAtStartBytes / MB).toFixed(0)} MB, peak in window ` +
        `${(r.peakRssWindowBytes / MB).toFixed(0)} MB, peak heap used ${(r.peakHeapUsedBytes / MB).toFixed(0)} MB; target ${r.target.requests} requests, ` +
        `${r.target.cpuS.toFixed(1)} CPU s`,
    );
  }
  for (const r of results.filter((x) => x.monitors === 10_000 && x.intervalS === 30)) {
    const share = r.checksRun / r.expected;
    console.log(
      `\ntargets at 10,000 monitors / 30 s: ` +
        `checks ${(100 * share).toFixed(1)}% of expected (≥ 99%: ${share >= 0.99 ? 'met' : 'MISSED'}), ` +
        `lag p99 ${fmt(r.lagMs.p99)} ms (≤ 1000 ms: ${r.lagMs.p99 <= 1000 ? 'met' : 'MISSED'}), ` +
        `peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB (≤ 500 MB: ${r.peakRssBytes <= 500 * MB ? 'met' : 'MISSED'})`,
    );
  }
}

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '-' : ms.toFixed(0);
}
