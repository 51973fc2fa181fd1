import type { z } from 'zod';
import type { MonitorType, SpecOf } from '../checks/monitor-spec.js';
import type { ConsecutiveRule } from '../rules/consecutive-rule.js';

/**
 * How config as code reads and writes one monitor type: its own YAML fields (next to
 * the common ones in monitor-schema.ts), how they become the probe's spec, and back.
 * One file per type under monitor-kinds/, registered in monitor-kinds/index.ts.
 */
export interface MonitorKind<
  T extends MonitorType = MonitorType,
  Shape extends z.ZodRawShape = z.ZodRawShape,
> {
  readonly type: T;
  /** The timeout when the file names none, if not 10 s (capped by the interval either way). */
  readonly defaultTimeoutMs?: number;
  /** Rule defaults that differ for this type (a heartbeat fails on the first missed deadline). */
  readonly defaultRule?: Partial<ConsecutiveRule>;
  /** The type's own fields, validated like every other field (unknown ones are errors). */
  readonly fields: Shape;
  /** Validated fields → spec. Report cross-field problems with ctx.addIssue (path relative to the monitor). */
  toSpec(fields: z.output<z.ZodObject<Shape>>, timeoutMs: number, ctx: z.RefinementCtx): SpecOf<T>;
  /** Spec → the type's YAML fields, leaving out what equals its default (export and plans use this). */
  toFile(spec: SpecOf<T>): Record<string, unknown>;
  /** A stored spec read back; fills defaults for fields that rows written by older versions lack. */
  fromStored(stored: Record<string, unknown>, timeoutMs: number): SpecOf<T>;
}

/** Identity helper that keeps a kind's field types for its toSpec. */
export function defineKind<T extends MonitorType, Shape extends z.ZodRawShape>(
  kind: MonitorKind<T, Shape>,
): MonitorKind<T, Shape> {
  return kind;
}
