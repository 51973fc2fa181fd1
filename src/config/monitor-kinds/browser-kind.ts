import { z } from 'zod';
import { BROWSER_DEFAULTS, type BrowserStep, browserSpec } from '../../checks/browser-spec.js';
import { defineKind } from '../monitor-kind.js';
import { httpUrl, label } from '../schema-parts.js';

const name = { name: label.nullish() };
const text = z.string().min(1);

// Steps are data: each action is one fixed Playwright call, so a config file can never run code.
const step = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('goto'), url: text, ...name }),
  z.strictObject({ action: z.literal('click'), selector: text, ...name }),
  z.strictObject({ action: z.literal('fill'), selector: text, value: z.string(), ...name }),
  z.strictObject({ action: z.literal('press'), selector: text, key: text, ...name }),
  z.strictObject({ action: z.literal('expect_text'), text, selector: text.nullish(), ...name }),
  z.strictObject({ action: z.literal('expect_no_text'), text, ...name }),
  z.strictObject({ action: z.literal('expect_url'), contains: text, ...name }),
  z.strictObject({ action: z.literal('wait_for'), selector: text, ...name }),
]);

/** `type: browser` — a user journey in Chromium: open `url`, then run `steps`; a screenshot is kept on failure. */
export const browserKind = defineKind({
  type: 'browser',
  // Starting Chromium and loading a few pages takes longer than one request.
  defaultTimeoutMs: BROWSER_DEFAULTS.timeoutMs,
  fields: {
    url: httpUrl,
    steps: z.array(step).min(1),
    viewport: z
      .strictObject({ width: z.int().min(200).max(4000), height: z.int().min(200).max(4000) })
      .nullish(),
  },
  toSpec: (m, timeoutMs) =>
    browserSpec(
      m.url,
      // Optional fields the file leaves out (null) are absent in a step.
      m.steps.map(
        (s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v != null)) as unknown as BrowserStep,
      ),
      { timeoutMs, viewport: m.viewport ?? BROWSER_DEFAULTS.viewport },
    ),
  toFile: (spec) => ({
    url: spec.startUrl,
    steps: spec.steps,
    viewport:
      spec.viewport.width === BROWSER_DEFAULTS.viewport.width &&
      spec.viewport.height === BROWSER_DEFAULTS.viewport.height
        ? null
        : spec.viewport,
  }),
  fromStored: (stored, timeoutMs) =>
    browserSpec(String(stored.startUrl ?? ''), (stored.steps as BrowserStep[] | undefined) ?? [], {
      ...stored,
      timeoutMs,
    }),
});
