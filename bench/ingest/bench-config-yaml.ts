import { communitySlugs } from './event-mix.js';

/**
 * The config the ingest bench applies: `communities` communities, one generic integration (`bench`)
 * and the server-start rule of the issue (2 server_start_failed within 30 m, reset by a success).
 */
export function benchConfigYaml(communities: number): string {
  const list = communitySlugs(communities)
    .map((slug) => `  - { slug: ${slug}, name: Bench ${slug} }`)
    .join('\n');
  return `version: 1
communities:
${list}
integrations:
  - { key: bench, kind: generic }
alert_rules:
  - key: server-start-failures
    kind: events_in_window
    match: { types: [server_start_failed] }
    count: 2
    window: 30m
    consecutive: true
    reset_types: [server_start_succeeded]
    severity: P2
`;
}
