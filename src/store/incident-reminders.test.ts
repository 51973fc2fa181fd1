import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { DEFAULT_INCIDENT_POLICY } from '../incidents/incident-policy.js';
import type { Person } from '../oncall/person.js';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { applyFleetConfig } from './config-repository.js';
import { remindUpdatesDue } from './incident-reminders.js';
import { declareIncident, getIncident, postIncidentUpdate } from './incident-repository.js';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const MIN = 60_000;
const policy = {
  ...DEFAULT_INCIDENT_POLICY,
  updateEveryMs: { ...DEFAULT_INCIDENT_POLICY.updateEveryMs, major: 30 * MIN },
};
const settings = {
  matrix: DEFAULT_URGENCY_MATRIX,
  policy,
  pageUrl: 'https://status.example.org',
  pageName: 'Status',
};
const ana: Person = {
  key: 'ana',
  name: 'Ana',
  timeZone: 'Europe/Berlin',
  workingHours: [],
  contactMethods: [{ key: 'mail', kind: 'email', address: 'ana@example.org', secret: null }],
  notificationRules: [],
} as unknown as Person;

describe.each(testDialects())('remindUpdatesDue on $name', (dialect) => {
  it('reminds the commander once per overdue period, and not after a public update', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const parsed = parseConfigFile(
        'version: 1\ncommunities:\n  - slug: pangeo\n    name: Pangeo\n    components:\n      - { key: hub, name: Hub }\n',
        'fleet.yaml',
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await applyFleetConfig(database.db, parsed.config, T0 - MIN);
      const declared = await declareIncident(
        database,
        {
          title: 'Hub down',
          impact: 'major',
          components: [{ ref: 'pangeo/hub', status: 'major_outage' }],
          message: null,
          draft: false,
          origin: 'manual',
          detectionSource: 'manual',
          detectedAt: T0,
          commander: 'ana',
          actor: 'ana',
        },
        settings,
        T0,
      );
      if (!('incident' in declared)) throw new Error('not declared');
      const id = declared.incident.id;
      const people = new Map([['ana', ana]]);
      const remind = (at: number) =>
        remindUpdatesDue(database.db, database.capabilities, people, policy, settings.pageUrl, at);

      expect(await remind(T0 + 30 * MIN - 1)).toEqual([]);
      expect(await remind(T0 + 30 * MIN)).toEqual([
        { incidentId: id, commander: 'ana', nextDueAt: T0 + 60 * MIN },
      ]);
      expect(await remind(T0 + 31 * MIN)).toEqual([]);
      const rows = await database.db.selectFrom('notifications').selectAll().execute();
      expect(rows.map((r) => [r.address, r.reason])).toEqual([['ana@example.org', 'incident_update_due']]);

      await postIncidentUpdate(
        database,
        id,
        { kind: 'public', body: 'Still on it.', actor: 'ana' },
        settings,
        T0 + 40 * MIN,
      );
      expect(await remind(T0 + 60 * MIN)).toEqual([]);
      expect(await remind(T0 + 70 * MIN)).toHaveLength(1);
      const incident = await getIncident(database.db, id);
      expect(incident?.timeline.filter((e) => e.kind === 'update_due')).toHaveLength(2);
    });
  });
});
