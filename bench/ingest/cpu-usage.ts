import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second for /proc times (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; 0 once it is gone. */
export function processCpuS(pid: number): number {
  try {
    return ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by every live process whose command is `name` (e.g. `postgres`: the
 * server and its backends), by pid, so a delta can skip processes that started or ended in between.
 */
export function cpuByPidOf(name: string): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) {
        found.set(Number(entry), ticksOf(stat) / TICKS_PER_S);
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** CPU seconds of `after` minus `before`; a process new in `after` counts from zero. */
export function cpuDeltaS(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Busy and total jiffies of the whole machine (all cores) from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function ticksOf(stat: string): number {
  // Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}
