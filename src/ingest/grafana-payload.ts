import { z } from 'zod';
import type { Signal } from '../rules/signal.js';
import { describeValue, isRecord, nonEmpty, parseWithSchema } from './body-path.js';
import { IngestError, type IntegrationSettings } from './integration-settings.js';
import { severityFromWord } from './severity-words.js';
import { boundedSignal, checkSignalCount, plainData } from './signal-limits.js';
import { type AlertGroup, alertSignal, webhookAlertSchema } from './webhook-alert.js';

const optionalText = z.string().nullish();

/** Grafana unified alerting's webhook (version "1"): Alertmanager's format plus a few fields. */
const unifiedSchema = z.looseObject({
  groupKey: optionalText,
  receiver: optionalText,
  externalURL: optionalText,
  alerts: z.array(webhookAlertSchema),
});

/** Fields Grafana adds to each alert, kept in its signal's details. */
const GRAFANA_ALERT_DETAILS = ['silenceURL', 'dashboardURL', 'panelURL', 'imageURL', 'values', 'valueString'];

/** Legacy (pre-9) Grafana alerting's webhook: one notification per rule, no per-alert list. */
const legacySchema = z.looseObject({
  ruleId: z.number(),
  ruleName: optionalText,
  ruleUrl: optionalText,
  state: z.enum(['alerting', 'ok', 'no_data', 'paused', 'pending']),
  title: optionalText,
  message: optionalText,
  imageUrl: optionalText,
  tags: z.record(z.string(), z.string()).nullish(),
  evalMatches: z.unknown().optional(),
});

/**
 * Turns a Grafana webhook body into Signals: unified alerting (a body with `alerts`) gives one per alert;
 * legacy alerting (a body with `ruleId`) gives one for the rule, or none while it is paused or pending.
 * Throws IngestError, naming the field, for anything it cannot take.
 */
export function parseGrafana(body: unknown, settings: IntegrationSettings, now: number): Signal[] {
  if (!isRecord(body)) {
    throw new IngestError('', `the body is ${describeValue(body)} — send Grafana's webhook payload`);
  }
  if (Object.hasOwn(body, 'alerts')) {
    return parseUnified(body, settings, now);
  }
  if (Object.hasOwn(body, 'ruleId') || Object.hasOwn(body, 'ruleName')) {
    return parseLegacy(body, settings, now);
  }
  throw new IngestError(
    '',
    'the body has neither "alerts" (Grafana alerting) nor "ruleId" (legacy Grafana alerting) — ' +
      "point a Grafana webhook contact point here and send Grafana's payload unchanged",
  );
}

function parseUnified(body: Record<string, unknown>, settings: IntegrationSettings, now: number): Signal[] {
  if (body.version !== undefined && body.version !== '1') {
    throw new IngestError(
      'version',
      `version ${describeValue(body.version)} is not supported — Firewatch reads Grafana's webhook version "1"`,
    );
  }
  checkSignalCount(
    body.alerts,
    ['alerts'],
    "lower Max alerts in the Grafana contact point's webhook settings",
  );
  const payload = parseWithSchema(unifiedSchema, body);
  const group: AlertGroup = {
    source: 'grafana',
    keyPrefix: 'grafana:',
    groupKey: payload.groupKey,
    details: { receiver: payload.receiver, externalURL: payload.externalURL },
    alertDetails: GRAFANA_ALERT_DETAILS,
  };
  return payload.alerts.map((alert, i) => alertSignal(alert, ['alerts', i], group, settings, now));
}

function parseLegacy(body: Record<string, unknown>, settings: IntegrationSettings, now: number): Signal[] {
  const payload = parseWithSchema(legacySchema, body);
  if (payload.state === 'paused' || payload.state === 'pending') {
    return [];
  }
  const tags = payload.tags ?? {};
  const type = nonEmpty(tags.alertname) ?? nonEmpty(payload.ruleName);
  if (type === undefined) {
    throw new IngestError('ruleName', 'ruleName is missing — give the Grafana alert rule a name');
  }
  const details = Object.fromEntries(
    Object.entries({
      ruleUrl: payload.ruleUrl,
      state: payload.state,
      title: payload.title,
      message: payload.message,
      imageUrl: payload.imageUrl,
      evalMatches: payload.evalMatches,
    }).filter(([, value]) => value !== undefined),
  );
  return [
    boundedSignal(
      {
        source: 'grafana',
        type,
        dedupKey: `grafana:rule:${payload.ruleId}`,
        status: payload.state === 'ok' ? 'ok' : 'problem',
        community: nonEmpty(tags.community) ?? settings.defaults.community,
        component: nonEmpty(tags.component) ?? settings.defaults.component,
        severity: severityFromWord(tags.severity) ?? settings.defaults.severity,
        summary: nonEmpty(payload.message) ?? nonEmpty(payload.title) ?? `${type} ${payload.state}`,
        details: plainData(details, ''),
        labels: tags,
        occurredAt: now,
      },
      'tags',
    ),
  ];
}
