import { stringify } from 'yaml';

const PER_COMPONENT = 25;
const COMPONENTS_PER_COMMUNITY = 2;

/**
 * A fleet file of `monitors` HTTP keyword monitors, 25 per component and two components per community
 * (the shape of bench/apply-config.ts), each fetching its own `http://127.0.0.1:<port>/k/<n>` every
 * `intervalS` seconds, expecting "Welcome", allowed to reach loopback, with no confirmation retries.
 */
export function benchFleetYaml(monitors: number, intervalS: number, port: number): string {
  const components = Math.ceil(monitors / PER_COMPONENT);
  const communities = Math.ceil(components / COMPONENTS_PER_COMMUNITY);
  return stringify({
    version: 1,
    communities: Array.from({ length: communities }, (_, c) => ({
      slug: `community-${c}`,
      name: `Community ${c}`,
      components: Array.from({ length: COMPONENTS_PER_COMMUNITY }, (_, k) => c * COMPONENTS_PER_COMMUNITY + k)
        .filter((index) => index < components)
        .map((index) => ({
          key: `part-${index % COMPONENTS_PER_COMMUNITY}`,
          name: `Part ${index % COMPONENTS_PER_COMMUNITY}`,
          monitors: Array.from(
            { length: Math.min(PER_COMPONENT, monitors - index * PER_COMPONENT) },
            (_, m) => {
              const n = index * PER_COMPONENT + m;
              return {
                key: `m${m}`,
                type: 'http',
                url: `http://127.0.0.1:${port}/k/${n}`,
                interval: `${intervalS}s`,
                expect: { body_contains: ['Welcome'] },
                allow_private_targets: true,
                confirm: { retries: 0 },
              };
            },
          ),
        })),
    })),
  });
}
