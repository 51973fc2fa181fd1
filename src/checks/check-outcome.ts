/** What one probe run found. Data only: the rule decides what it means. */
export interface CheckOutcome {
  /** Every assertion passed (latency included). */
  readonly ok: boolean;
  /** Failed only because the latency limit was exceeded (everything else passed). */
  readonly slow: boolean;
  /** Human-readable failure reason ("expected status 200, got 503"); null when ok. */
  readonly reason: string | null;
  /** Wall time of the probe in ms. */
  readonly durationMs: number;
  /** Files the probe kept as evidence (a browser screenshot on failure), absolute paths. */
  readonly artifacts?: readonly string[];
}
