import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type Page, type Response } from 'playwright-core';
import {
  getBrowser,
  type JourneyContext,
  type NetworkGuard,
  newJourneyContext,
  type Refusal,
} from './browser-runner.js';
import { type BrowserSpec, type BrowserStep, describeStep, timeoutDetail } from './browser-spec.js';
import type { CheckOutcome } from './check-outcome.js';
import { type Deadline, startDeadline } from './deadline.js';
import { messageOf } from './message-of.js';
import type { ProbeContext } from './network-policy.js';
import { ProbeFailure } from './probe-failure.js';

/** The edges of one journey: where Chromium is (see getBrowser) and a wall clock in ms. */
export interface BrowserCheckOptions {
  readonly executablePath?: string;
  readonly now?: () => number;
}

const POLL_MS = 100;
const SCREENSHOT_TIMEOUT_MS = 3_000;

/**
 * Opens spec.startUrl in a fresh context of the shared Chromium and runs the steps in order. Never throws:
 * a missing browser, a failed step, the deadline (spec.timeoutMs over the whole journey, browser start
 * included) and a cancellation through context.signal become a failed outcome whose reason names the step
 * (`step 3 (expect_text "Welcome"): text not found on http://…/home`). Console errors and page exceptions
 * are not failures. A navigation the network policy refuses (a redirect hop included; the target never sees
 * a request) ends the journey at the step during which it happened: `step 2 (click "#go"): could not load
 * http://169.254.169.254/ (redirected from https://…/go): refused to connect to …`. A failed or timed-out
 * journey keeps a full-page screenshot in context.artifactsDir, listed in `artifacts`; a cancelled or refused
 * one does not (its page shows nothing but the refusal). durationMs runs until the verdict, before the
 * screenshot is taken.
 */
export async function runBrowserCheck(
  spec: BrowserSpec,
  context: ProbeContext,
  options: BrowserCheckOptions = {},
): Promise<CheckOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = startDeadline(spec.timeoutMs, context.signal);
  const outcome = (reason: string | null): CheckOutcome => ({
    ok: reason === null,
    slow: false,
    reason,
    durationMs: Math.round(now() - started),
  });
  let opening: Promise<JourneyContext> | undefined;
  try {
    const browser = await until(getBrowser(options), deadline.signal);
    opening = newJourneyContext(browser, spec.viewport, context);
    const { context: browserContext, guard } = await until(opening, deadline.signal);
    const page = await until(browserContext.newPage(), deadline.signal);
    const stages = stagesOf(spec);
    const progress = { current: stages[0]! };
    // A refused navigation ends the journey early, and its page is never photographed.
    const stopped = guard.refusedNavigation.then(
      (refusal) => `${progress.current.label}: ${loadFailed(refusal)}`,
    );
    const journey = runJourney(page, stages, progress, deadline, guard);
    const verdict = await until(Promise.race([journey, stopped]), deadline.signal).catch(
      (error): string | null => {
        if (!deadline.timedOut()) throw error;
        const { step } = progress.current;
        return stageFailed(progress.current, timeoutDetail(step, page.url(), spec.timeoutMs), guard);
      },
    );
    // Chromium reports a refusal before the step that caused it settles, so none is missed here.
    const refused = guard.refusals().find((refusal) => refusal.navigation && refusal.byPolicy);
    if (refused !== undefined) {
      const named = verdict?.includes(refused.reason) === true;
      return outcome(named ? verdict : `${progress.current.label}: ${loadFailed(refused)}`);
    }
    if (verdict === null) return outcome(null);
    deadline.dispose(); // the screenshot has its own timeout, so it is taken even after the deadline
    return await withScreenshot(outcome(verdict), page, context.artifactsDir, Math.round(now()));
  } catch (error) {
    if (deadline.timedOut()) return outcome(`timed out after ${spec.timeoutMs} ms opening the browser`);
    if (deadline.signal.aborted) return outcome('probe cancelled before it finished');
    if (error instanceof ProbeFailure) return outcome(error.message);
    return outcome(`probe failed unexpectedly: ${messageOf(error)}`);
  } finally {
    deadline.dispose();
    await opening?.then((journey) => journey.close()).catch(() => {});
  }
}

/** A step of the journey and how reasons name it; the start page is the first. */
interface Stage {
  readonly label: string;
  readonly step: BrowserStep;
}

function stagesOf(spec: BrowserSpec): readonly Stage[] {
  return [
    { label: 'start page', step: { action: 'goto', url: spec.startUrl } },
    ...spec.steps.map((step, index) => ({ label: describeStep(step, index), step })),
  ];
}

// Runs the stages in order; the first failure's reason, or null when all passed. Each stage may wait until
// the journey's deadline; `progress.current` tells the caller which one the deadline caught.
async function runJourney(
  page: Page,
  stages: readonly Stage[],
  progress: { current: Stage },
  deadline: Deadline,
  guard: NetworkGuard,
): Promise<string | null> {
  for (const stage of stages) {
    progress.current = stage;
    try {
      await runStep(page, stage.step, deadline, guard);
    } catch (error) {
      const detail =
        error instanceof errors.TimeoutError
          ? timeoutDetail(stage.step, page.url(), deadline.timeoutMs)
          : firstLineOf(error);
      return stageFailed(stage, detail, guard);
    }
  }
  return null;
}

// A click that loads an unreachable page lands on the proxy's error page; the note says why.
function stageFailed(stage: Stage, detail: string, guard: NetworkGuard): string {
  const refusal = guard.refusals().find((refused) => refused.navigation && !detail.includes(refused.reason));
  return `${stage.label}: ${detail}${refusal === undefined ? '' : `; ${loadFailed(refusal)}`}`;
}

// "could not load http://10.0.0.1/ (redirected from https://…/go): refused to connect to 10.0.0.1 (…)".
function loadFailed({ url, redirectedFrom, reason }: Refusal): string {
  return `could not load ${url}${redirectedFrom === null ? '' : ` (redirected from ${redirectedFrom})`}: ${reason}`;
}

async function runStep(
  page: Page,
  step: BrowserStep,
  deadline: Deadline,
  guard: NetworkGuard,
): Promise<void> {
  const timeout = Math.max(1, deadline.remainingMs()); // 0 would mean "no timeout" to Playwright
  switch (step.action) {
    case 'goto':
      return navigate(page, step.url, timeout, guard);
    case 'click':
      return page.locator(step.selector).click({ timeout });
    case 'fill':
      return page.locator(step.selector).fill(step.value, { timeout });
    case 'press':
      return page.locator(step.selector).press(step.key, { timeout });
    case 'wait_for':
      return page.locator(step.selector).filter({ visible: true }).first().waitFor({ timeout });
    case 'expect_text':
      return poll(deadline, async () => {
        const texts = await page.locator(step.selector ?? 'body').allInnerTexts();
        return texts.some((text) => text.includes(step.text));
      });
    case 'expect_no_text':
      return poll(deadline, async () => !(await page.locator('body').innerText()).includes(step.text));
    case 'expect_url':
      return poll(deadline, async () => page.url().includes(step.contains));
  }
}

// Loads `target` (relative to the current page); an HTTP error status fails the step. When the policy proxy
// answered instead of the site (refused or unreachable, possibly at a redirect hop), the reason is its own.
async function navigate(page: Page, target: string, timeout: number, guard: NetworkGuard): Promise<void> {
  if (!URL.canParse(target, page.url())) throw new StepFailed(`not a valid URL: ${JSON.stringify(target)}`);
  const url = new URL(target, page.url()).href;
  const before = guard.refusals().length;
  const answeredByProxy = () =>
    guard
      .refusals()
      .slice(before)
      .findLast((refused) => refused.navigation);
  let response: Response | null;
  try {
    response = await page.goto(url, { timeout });
  } catch (error) {
    if (error instanceof errors.TimeoutError) throw error;
    const refusal = answeredByProxy();
    if (refusal !== undefined) throw new StepFailed(loadFailed(refusal));
    throw new StepFailed(`could not load ${url}: ${firstLineOf(error).replace(/ at \S+$/, '')}`);
  }
  if (response !== null && response.status() >= 400) {
    const refusal = answeredByProxy();
    if (refusal !== undefined) throw new StepFailed(loadFailed(refusal));
    throw new StepFailed(`${url} answered HTTP ${response.status()}`);
  }
}

/** A step that failed for a reason of its own; the message is the detail shown after the step's name. */
class StepFailed extends Error {}

// Retries `passed` until it holds or the deadline passes. A check that throws (a page mid-navigation has no
// text to read) counts as not yet; if the last one threw, that error is the failure.
async function poll(deadline: Deadline, passed: () => Promise<boolean>): Promise<void> {
  for (;;) {
    let lastError: unknown;
    try {
      if (await passed()) return;
    } catch (error) {
      lastError = error;
    }
    if (deadline.remainingMs() <= 0)
      throw lastError ?? new errors.TimeoutError('the journey deadline passed');
    await sleep(Math.min(POLL_MS, deadline.remainingMs()));
  }
}

// Playwright's first line without the API name: "locator.click: Timeout 5000ms exceeded." → "Timeout …".
function firstLineOf(error: unknown): string {
  return messageOf(error)
    .split('\n')[0]!
    .replace(/^\w+\.\w+: /, '');
}

async function withScreenshot(
  failed: CheckOutcome,
  page: Page,
  dir: string,
  at: number,
): Promise<CheckOutcome> {
  try {
    const image = await page.screenshot({ fullPage: true, timeout: SCREENSHOT_TIMEOUT_MS });
    await mkdir(dir, { recursive: true });
    return { ...failed, artifacts: [await writeNew(resolve(dir), `browser-${at}`, image)] };
  } catch (error) {
    return { ...failed, reason: `${failed.reason} (no screenshot: ${firstLineOf(error)})` };
  }
}

// Journeys failing in the same millisecond must not overwrite each other's evidence.
async function writeNew(dir: string, stem: string, data: Buffer): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const path = join(dir, attempt === 1 ? `${stem}.png` : `${stem}-${attempt}.png`);
    try {
      await writeFile(path, data, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

// `work` settles the result unless the signal aborts first; work left running is stopped by closing the
// context, and its late rejection is handled here.
function until<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((settle, fail) => {
    const stop = () => fail(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    work.then(settle, fail).finally(() => signal.removeEventListener('abort', stop));
  });
}
