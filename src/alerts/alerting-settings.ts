import type { FlapSettings } from '../rules/alert-rule.js';
import type { Severity } from '../rules/signal.js';

/** Fleet-wide alerting settings (config as code `alerting:`; stored in settings under `alerting`). */
export interface AlertingSettings {
  /** Time box started when an alert of that severity is acknowledged; null = none. */
  readonly timeBoxes: Readonly<Record<Severity, number | null>>;
  /** Flap damping for alerts no rule owns (direct webhook alerts, monitor alerts). */
  readonly flap: FlapSettings;
  /** Severity of a signal that names none and that no rule owns. */
  readonly defaultSeverity: Severity;
}

export const DEFAULT_ALERTING: AlertingSettings = {
  timeBoxes: { P1: null, P2: null, P3: 30 * 60_000, P4: 30 * 60_000 },
  flap: { maxChanges: 6, windowMs: 30 * 60_000 },
  defaultSeverity: 'P3',
};
