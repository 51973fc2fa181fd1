import { findOncallProblems } from './find-oncall-problems.js';
import { type ComponentConfig, type FleetConfig, SHARED_REF_PREFIX } from './fleet-config.js';
import { duplicates, known, type ReferenceProblem, type YamlPath } from './reference-problem.js';

export type { ReferenceProblem } from './reference-problem.js';

/**
 * Duplicate slugs and keys, reserved slugs, unknown depends_on entries, integration defaults naming
 * a community or component the file does not define, and on-call references (find-oncall-problems.ts);
 * empty when consistent.
 */
export function findReferenceProblems(config: FleetConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const sharedKeys = config.shared.map((s) => s.key);
  const { communities } = config;
  duplicates(
    communities,
    (c) => c.slug,
    (i) => ['communities', i, 'slug'],
    'community slug',
    problems,
  );
  communities.forEach((community, i) => {
    const at = ['communities', i];
    if (community.slug === SHARED_REF_PREFIX) {
      const message = `community slug "${SHARED_REF_PREFIX}" is reserved for shared components`;
      problems.push({ path: [...at, 'slug'], message, hint: 'pick another slug', firstPath: null });
    }
    const dependsOn = community.dependsOn;
    duplicates(
      dependsOn,
      (key) => key,
      (k) => [...at, 'depends_on', k],
      'depends_on entry',
      problems,
    );
    dependsOn.forEach((key, k) => {
      if (sharedKeys.includes(key)) return;
      problems.push({
        path: [...at, 'depends_on', k],
        message: `unknown shared component "${key}"`,
        hint: `define it under shared_components${sharedKeys.length > 0 ? ` or use one of: ${sharedKeys.join(', ')}` : ''}`,
        firstPath: null,
      });
    });
    checkComponents(community.components, [...at, 'components'], problems);
  });
  checkComponents(config.shared, ['shared_components'], problems);
  checkIntegrations(config, problems);
  duplicates(
    config.alertRules,
    (r) => r.rule.key,
    (i) => ['alert_rules', i, 'key'],
    'alert rule key',
    problems,
  );
  problems.push(...findOncallProblems(config));
  return problems;
}

function checkIntegrations(config: FleetConfig, problems: ReferenceProblem[]): void {
  const { integrations } = config;
  duplicates(
    integrations,
    (i) => i.key,
    (i) => ['integrations', i, 'key'],
    'integration key',
    problems,
  );
  const slugs = config.communities.map((c) => c.slug);
  const refs = [
    ...config.communities.flatMap((c) => c.components.map((k) => `${c.slug}/${k.key}`)),
    ...config.shared.map((k) => `${SHARED_REF_PREFIX}/${k.key}`),
  ];
  integrations.forEach((integration, i) => {
    const { community, component } = integration.settings.defaults;
    const at = ['integrations', i, 'defaults'];
    if (community !== null && !slugs.includes(community)) {
      problems.push({
        path: [...at, 'community'],
        message: `unknown community "${community}"`,
        hint: `define it under communities${known(slugs)}`,
        firstPath: null,
      });
    }
    if (component !== null && !refs.includes(component)) {
      problems.push({
        path: [...at, 'component'],
        message: `unknown component "${component}"`,
        hint: `use the ref of a component in this file (<slug>/<key> or shared/<key>)${known(refs)}`,
        firstPath: null,
      });
    } else if (component !== null && community !== null && !belongsTo(component, community, config)) {
      problems.push({
        path: [...at, 'component'],
        message: `component "${component}" is not part of community "${community}"`,
        hint: `use a component of ${community} (${community}/<key>) or a shared component it depends_on`,
        firstPath: null,
      });
    }
  });
}

/** A community's own components and the shared ones it depends on belong to it. */
function belongsTo(ref: string, slug: string, config: FleetConfig): boolean {
  const [owner, key] = ref.split('/');
  if (owner === slug) return true;
  const community = config.communities.find((c) => c.slug === slug);
  return owner === SHARED_REF_PREFIX && community?.dependsOn.includes(key!) === true;
}

function checkComponents(
  components: readonly ComponentConfig[],
  at: YamlPath,
  problems: ReferenceProblem[],
): void {
  duplicates(
    components,
    (c) => c.key,
    (i) => [...at, i, 'key'],
    'component key',
    problems,
  );
  components.forEach((component, i) => {
    const monitorAt = (m: number) => [...at, i, 'monitors', m, 'key'];
    duplicates(component.monitors, (m) => m.key, monitorAt, 'monitor key', problems);
  });
}
