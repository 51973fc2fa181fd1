import type { MonitorSettings } from '../config/monitor-schema.js';
import { MONITOR_DEFAULTS } from '../config/monitor-schema.js';

type StoredSettings = Pick<MonitorSettings, 'locations' | 'confirm' | 'allowPrivateTargets' | 'tags'>;

/** monitors.settings as written. */
export function settingsToStored(m: StoredSettings): string {
  return JSON.stringify({
    locations: m.locations,
    confirm: m.confirm,
    allowPrivateTargets: m.allowPrivateTargets,
    tags: m.tags,
  });
}

/** monitors.settings read back; rows from before 0003 hold `{}` and get the defaults. */
export function settingsFromStored(json: string): StoredSettings {
  const stored = JSON.parse(json) as Partial<StoredSettings>;
  return {
    locations: stored.locations ?? null,
    confirm: { ...MONITOR_DEFAULTS.confirm, ...stored.confirm },
    allowPrivateTargets: stored.allowPrivateTargets ?? MONITOR_DEFAULTS.allowPrivateTargets,
    tags: stored.tags ?? [],
  };
}
