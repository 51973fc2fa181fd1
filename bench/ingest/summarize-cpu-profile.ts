// Prints where a V8 CPU profile (from `run-ingest-bench.ts --cpu-prof DIR`) spent its time: self time
// by package or source folder, and by function.
// Usage: node_modules/.bin/tsx bench/ingest/summarize-cpu-profile.ts DIR/CPU.*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write('usage: summarize-cpu-profile.ts FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  totalUs += delta;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});

const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = nodes.get(id)?.callFrame;
  if (!frame) continue;
  const where = shortUrl(frame.url);
  add(byPlace, placeOf(frame.url, frame.functionName), us);
  add(
    byFunction,
    `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`,
    us,
  );
}

console.log(`${(totalUs / 1e6).toFixed(1)} s sampled in ${file}`);
print('self time by package or folder', byPlace);
print('self time by function', byFunction);

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** `kysely`, `better-sqlite3`, `dist/store/`, `node:events`, or V8's own entries such as `(garbage collector)`. */
function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName || '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return url;
  return shortUrl(url).replace(/[^/]+$/, '');
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(dist|src|node_modules)\//, '$1/');
}

function print(title: string, map: ReadonlyMap<string, number>): void {
  console.log(`\n${title}:`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${key}`);
  }
}
