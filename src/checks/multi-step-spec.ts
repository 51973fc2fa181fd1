import { type HttpSpec, httpSpec } from './http-spec.js';

/** One request of a journey: an HTTP spec without its own timeout (the journey has one for all steps). */
export type StepRequest = Omit<HttpSpec, 'timeoutMs'>;

/**
 * Takes a value from a step's final response into a variable that later steps use as `${variable}`:
 * the value at a JSON path of the body, a response header, or a capture group of a regex over the body.
 */
export type Extraction =
  | { readonly variable: string; readonly from: 'json'; readonly path: string }
  | { readonly variable: string; readonly from: 'header'; readonly header: string }
  | {
      readonly variable: string;
      readonly from: 'regex';
      readonly pattern: string;
      readonly flags: string;
      /** 0 is the whole match. */
      readonly group: number;
    };

/** One named step: its request (url, header values and body may use `${variable}`) and what to keep from it. */
export interface StepSpec {
  /** Shown in the failure reason: `step 2 (load dashboard): …`. */
  readonly name: string;
  readonly request: StepRequest;
  readonly extract: readonly Extraction[];
}

/** A scripted API journey ("log in, then load the user's page"): steps run in order under one timeout in ms. */
export interface MultiStepSpec {
  readonly steps: readonly StepSpec[];
  /** Limit for the whole journey, every step included. */
  readonly timeoutMs: number;
}

/** A step for `url` with the HTTP defaults filled in, then `overrides` on top. */
export function stepSpec(
  name: string,
  url: string,
  overrides: Partial<StepRequest> = {},
  extract: readonly Extraction[] = [],
): StepSpec {
  const { timeoutMs: _unused, ...request } = httpSpec(url, overrides);
  return { name, request, extract };
}
