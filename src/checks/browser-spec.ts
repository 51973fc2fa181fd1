/** Fields every journey step may carry: a name shown in failure reasons ("sees the welcome"). */
interface StepBase {
  readonly name?: string;
}

/**
 * One step of a scripted user journey. Data, never code: each action is a fixed Playwright call, and
 * selectors are Playwright selectors (CSS by default). Waiting steps wait until the journey's deadline.
 */
export type BrowserStep =
  /** Navigates to `url`, absolute or relative to the current page; an HTTP status of 400 or more fails. */
  | (StepBase & { readonly action: 'goto'; readonly url: string })
  /** Clicks the one element matching `selector`, once it is visible, enabled and stable. */
  | (StepBase & { readonly action: 'click'; readonly selector: string })
  /** Types `value` into the one input matching `selector`; the value never appears in reasons. */
  | (StepBase & { readonly action: 'fill'; readonly selector: string; readonly value: string })
  /** Presses `key` ("Enter", "Control+A") in the one element matching `selector`. */
  | (StepBase & { readonly action: 'press'; readonly selector: string; readonly key: string })
  /** Waits until the visible text of the page (or of an element matching `selector`) contains `text`. */
  | (StepBase & { readonly action: 'expect_text'; readonly text: string; readonly selector?: string })
  /** Waits until the visible text of the page does not contain `text`; passes at once when it is absent. */
  | (StepBase & { readonly action: 'expect_no_text'; readonly text: string })
  /** Waits until the page URL contains `contains`. */
  | (StepBase & { readonly action: 'expect_url'; readonly contains: string })
  /** Waits until an element matching `selector` is visible. */
  | (StepBase & { readonly action: 'wait_for'; readonly selector: string });

/** A browser monitor: open `startUrl`, run `steps` in order, all within `timeoutMs`. */
export interface BrowserSpec {
  readonly startUrl: string;
  readonly steps: readonly BrowserStep[];
  /** Deadline for the whole journey: waiting for the browser, every navigation, action and expectation. */
  readonly timeoutMs: number;
  readonly viewport: { readonly width: number; readonly height: number };
}

export const BROWSER_DEFAULTS = {
  timeoutMs: 30_000,
  viewport: { width: 1280, height: 720 },
} as const;

/** A spec for `startUrl` and `steps` with every default filled in, then `overrides` on top. */
export function browserSpec(
  startUrl: string,
  steps: readonly BrowserStep[],
  overrides: Partial<BrowserSpec> = {},
): BrowserSpec {
  return {
    startUrl,
    steps,
    timeoutMs: BROWSER_DEFAULTS.timeoutMs,
    viewport: BROWSER_DEFAULTS.viewport,
    ...overrides,
  };
}

/**
 * How a failure reason names a step, numbered from 1: `step 3 (expect_text "Welcome")`, or with a name
 * `step 3 "sees the welcome" (expect_text "Welcome")`. A fill step never shows the value it types.
 */
export function describeStep(step: BrowserStep, index: number): string {
  const name = step.name === undefined ? '' : ` ${JSON.stringify(step.name)}`;
  return `step ${index + 1}${name} (${step.action} ${stepTarget(step)})`;
}

/**
 * What it means that the journey's deadline (`timeoutMs`) caught `step` while the page was at `url`:
 * "text not found on http://…/home", "element not visible within 5000 ms on http://…/login".
 */
export function timeoutDetail(step: BrowserStep, url: string, timeoutMs: number): string {
  const within = `within ${timeoutMs} ms`;
  switch (step.action) {
    case 'goto':
      return `${URL.canParse(step.url, url) ? new URL(step.url, url).href : step.url} did not load ${within}`;
    case 'click':
    case 'fill':
    case 'press':
      return `element not found or not ready ${within} on ${url}`;
    case 'wait_for':
      return `element not visible ${within} on ${url}`;
    case 'expect_text':
      return `text not found on ${url}`;
    case 'expect_no_text':
      return `text still shown on ${url}`;
    case 'expect_url':
      return `page URL is ${url}`;
  }
}

function stepTarget(step: BrowserStep): string {
  const quote = JSON.stringify;
  switch (step.action) {
    case 'goto':
      return quote(step.url);
    case 'click':
    case 'fill':
    case 'wait_for':
      return quote(step.selector);
    case 'press':
      return `${quote(step.key)} in ${quote(step.selector)}`;
    case 'expect_text':
      return step.selector === undefined
        ? quote(step.text)
        : `${quote(step.text)} in ${quote(step.selector)}`;
    case 'expect_no_text':
      return quote(step.text);
    case 'expect_url':
      return quote(step.contains);
  }
}
