/** Who a step notifies: a user directly, or whoever a schedule has on call at that moment. */
export type EscalationTarget = { readonly user: string } | { readonly schedule: string };

export interface EscalationStep {
  readonly targets: readonly EscalationTarget[];
  /** How long after this step fired, unacknowledged, before the next step fires. */
  readonly escalateAfterMs: number;
}

export interface EscalationPolicy {
  readonly key: string;
  readonly name: string;
  readonly steps: readonly EscalationStep[];
  /** Times the whole policy runs again after its last step (0 = once). */
  readonly repeat: number;
  /** Reminder interval for acknowledged alerts (to the owner); null = no reminders. */
  readonly reminderEveryMs: number | null;
  /** Most reminders sent for one acknowledgement. */
  readonly maxReminders: number;
}
