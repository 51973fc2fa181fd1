import { describe, expect, it } from 'vitest';
import { type ActiveMaintenance, findMute } from './find-mute.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

const NIGHTLY: ActiveMaintenance = {
  id: 'mnt_1',
  components: ['pangeo/hub'],
  startsAt: at('2026-11-20T01:00:00Z'),
  endsAt: at('2026-11-20T02:00:00Z'),
  repeat: '0 1 * * *',
  repeatUntil: null,
};

describe('findMute', () => {
  it('mutes an alert on a covered component during every occurrence of a recurring window', () => {
    const labels = { component: 'pangeo/hub' };
    expect(findMute(labels, [], [NIGHTLY], at('2026-11-25T01:30:00Z'))).toBe('maintenance:mnt_1');
    expect(findMute(labels, [], [NIGHTLY], at('2026-11-25T02:00:00Z'))).toBeNull();
    expect(findMute(labels, [], [NIGHTLY], at('2026-11-25T00:59:00Z'))).toBeNull();
  });

  it('leaves other components alone, and ends with repeat_until', () => {
    expect(findMute({ component: 'leap/hub' }, [], [NIGHTLY], at('2026-11-25T01:30:00Z'))).toBeNull();
    const ended = { ...NIGHTLY, repeatUntil: at('2026-11-22T00:00:00Z') };
    expect(findMute({ component: 'pangeo/hub' }, [], [ended], at('2026-11-25T01:30:00Z'))).toBeNull();
    expect(findMute({ component: 'pangeo/hub' }, [], [ended], at('2026-11-21T01:30:00Z'))).toBe(
      'maintenance:mnt_1',
    );
  });

  it('mutes a one-off window only between its start and end', () => {
    const once = { ...NIGHTLY, repeat: null };
    expect(findMute({ component: 'pangeo/hub' }, [], [once], NIGHTLY.startsAt + H / 2)).toBe(
      'maintenance:mnt_1',
    );
    expect(findMute({ component: 'pangeo/hub' }, [], [once], NIGHTLY.startsAt + 24 * H)).toBeNull();
  });
});
