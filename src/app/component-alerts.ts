import { componentStatusSignal } from '../checks/check-signals.js';
import type { Database } from '../store/database.js';
import type { ComponentChange } from '../store/status-repository.js';
import type { AlertEngine } from './alert-engine.js';

/**
 * A component's status change is a signal: its alert is what pages when the status page changes.
 * Looks up the component's ref and the shared components its community depends on (the alert's
 * group), then hands the signal to the engine; resolves once it is committed.
 */
export async function raiseComponentAlert(
  database: Database,
  engine: Pick<AlertEngine, 'submit'>,
  change: ComponentChange,
): Promise<void> {
  const component = await database.db
    .selectFrom('components')
    .select(['ref', 'name', 'community_id'])
    .where('id', '=', change.componentId)
    .executeTakeFirst();
  if (!component) return;
  const dependsOn =
    component.community_id === null
      ? []
      : await database.db
          .selectFrom('community_dependencies')
          .innerJoin('components', 'components.id', 'community_dependencies.component_id')
          .select('components.key')
          .where('community_dependencies.community_id', '=', component.community_id)
          .execute();
  await engine.submit({
    integrationId: null,
    idempotencyKey: null,
    signals: [
      componentStatusSignal(
        { ref: component.ref, name: component.name, dependsOn: dependsOn.map((d) => d.key) },
        change.from,
        change.to,
        change.reason,
        change.at,
      ),
    ],
  });
}
