import { z } from 'zod';
import type { Signal } from '../rules/signal.js';
import { describeValue, isRecord, parseWithSchema } from './body-path.js';
import { IngestError, type IntegrationSettings } from './integration-settings.js';
import { checkSignalCount } from './signal-limits.js';
import { type AlertGroup, alertSignal, webhookAlertSchema } from './webhook-alert.js';

const optionalText = z.string().nullish();

/** Alertmanager webhook payload version "4"; groupLabels, commonLabels, truncatedAlerts … pass unread. */
const payloadSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: optionalText,
  receiver: optionalText,
  externalURL: optionalText,
  alerts: z.array(webhookAlertSchema),
});

/**
 * Turns an Alertmanager webhook body (payload version "4") into one Signal per alert.
 * Throws IngestError, naming the field, for anything it cannot take.
 */
export function parseAlertmanager(body: unknown, settings: IntegrationSettings, now: number): Signal[] {
  if (!isRecord(body)) {
    throw new IngestError('', `the body is ${describeValue(body)} — send Alertmanager's webhook payload`);
  }
  if (body.version !== '4') {
    const problem =
      body.version === undefined ? 'is missing' : `${describeValue(body.version)} is not supported`;
    throw new IngestError(
      'version',
      `version ${problem} — Firewatch reads Alertmanager's webhook payload version "4"; ` +
        "point Alertmanager's webhook_configs url here and send its payload unchanged",
    );
  }
  checkSignalCount(body.alerts, ['alerts'], "lower max_alerts in Alertmanager's webhook_configs");
  const payload = parseWithSchema(payloadSchema, body);
  const group: AlertGroup = {
    source: 'alertmanager',
    keyPrefix: 'alertmanager:',
    groupKey: payload.groupKey,
    details: { receiver: payload.receiver, externalURL: payload.externalURL },
    alertDetails: [],
  };
  return payload.alerts.map((alert, i) => alertSignal(alert, ['alerts', i], group, settings, now));
}
