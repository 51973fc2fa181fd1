import { z } from 'zod';
import type { Extraction, MultiStepSpec, StepSpec } from '../../checks/multi-step-spec.js';
import { stepSpec } from '../../checks/multi-step-spec.js';
import { defineKind } from '../monitor-kind.js';
import { describeValue, jsonPath, label, REGEX_FLAGS } from '../schema-parts.js';
import { HTTP_REQUEST_FIELDS, httpSpecToFile, toHttpSpec } from './http-request-fields.js';

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// A step URL may hold ${variables}, so it is checked for its scheme only; the rest is known at run time.
const stepUrl = z.string().refine((value) => /^https?:\/\/\S+$/.test(value), {
  error: (issue) =>
    `invalid step URL ${describeValue(issue.input)} — use an absolute http:// or https:// URL (\${variables} allowed)`,
});

const variable = z.string().refine((value) => VARIABLE.test(value), {
  error: (issue) => `invalid variable name ${describeValue(issue.input)} — use letters, digits and _`,
});

const extraction = z.union([
  z.strictObject({ variable, json: jsonPath }),
  z.strictObject({ variable, header: z.string().min(1) }),
  z.strictObject({
    variable,
    regex: z.string().refine(compiles, { error: 'invalid regular expression — fix the pattern' }),
    flags: z
      .string()
      .refine((flags) => [...flags].every((f) => REGEX_FLAGS.includes(f)), {
        error: `invalid regex flags — use any of ${[...REGEX_FLAGS].join(', ')}`,
      })
      .nullish(),
    group: z.int().min(0).max(99).nullish(),
  }),
]);

const step = z.strictObject({
  name: label,
  url: stepUrl,
  ...HTTP_REQUEST_FIELDS,
  extract: z.array(extraction).nullish(),
});

/** `type: multi_step` — requests in order, later ones using values extracted from earlier responses. */
export const multiStepKind = defineKind({
  type: 'multi_step',
  fields: { steps: z.array(step).min(1) },
  toSpec(m, timeoutMs, ctx): MultiStepSpec {
    const steps = m.steps.map((s, i): StepSpec => {
      const { timeoutMs: _journeyWide, ...request } = toHttpSpec(s.url, s, timeoutMs, ctx, ['steps', i]);
      return { name: s.name, request, extract: (s.extract ?? []).map(toExtraction) };
    });
    return { steps, timeoutMs };
  },
  toFile(spec) {
    return {
      steps: spec.steps.map((s) => ({
        name: s.name,
        ...httpSpecToFile(s.request),
        extract: s.extract.map(extractionToFile),
      })),
    };
  },
  fromStored(stored, timeoutMs): MultiStepSpec {
    const steps = ((stored.steps as StepSpec[] | undefined) ?? []).map((s) =>
      stepSpec(s.name, s.request.url, s.request, s.extract ?? []),
    );
    return { steps, timeoutMs };
  },
});

function toExtraction(e: z.output<typeof extraction>): Extraction {
  if ('json' in e) return { variable: e.variable, from: 'json', path: e.json };
  if ('header' in e) return { variable: e.variable, from: 'header', header: e.header };
  return { variable: e.variable, from: 'regex', pattern: e.regex, flags: e.flags ?? '', group: e.group ?? 1 };
}

function extractionToFile(e: Extraction): Record<string, unknown> {
  switch (e.from) {
    case 'json':
      return { variable: e.variable, json: e.path };
    case 'header':
      return { variable: e.variable, header: e.header };
    case 'regex':
      return {
        variable: e.variable,
        regex: e.pattern,
        ...(e.flags ? { flags: e.flags } : {}),
        ...(e.group === 1 ? {} : { group: e.group }),
      };
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
