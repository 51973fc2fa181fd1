import { IngestError, type IntegrationSettings } from '../../src/ingest/integration-settings.js';

/** Integration settings with no defaults, the default body limit and no mapping; override any field. */
export function ingestSettings(overrides: Partial<IntegrationSettings> = {}): IntegrationSettings {
  return {
    defaults: { community: null, component: null, severity: null },
    maxBodyBytes: 262144,
    mapping: null,
    ...overrides,
  };
}

/** The IngestError `run` throws; rethrows anything else and fails when nothing is thrown. */
export function ingestErrorOf(run: () => unknown): IngestError {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an IngestError, but nothing was thrown');
}
