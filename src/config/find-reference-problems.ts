import { type ComponentConfig, type FleetConfig, SHARED_REF_PREFIX } from './fleet-config.js';

type YamlPath = readonly (string | number)[];

/** A cross-reference mistake (duplicate, unknown dependency) at a YAML path of the file. */
export interface ReferenceProblem {
  readonly path: YamlPath;
  readonly message: string;
  readonly hint: string;
  /** For a duplicate: where the first occurrence is. */
  readonly firstPath: YamlPath | null;
}

/**
 * Duplicate slugs and keys, reserved slugs, unknown depends_on entries and integration defaults naming
 * a community or component the file does not define; empty when consistent.
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

function known(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, 10).join(', ');
  return `; known: ${shown}${names.length > 10 ? ', …' : ''}`;
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

function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  pathOf: (index: number) => YamlPath,
  what: string,
  problems: ReferenceProblem[],
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const earlier = first.get(key(item));
    if (earlier === undefined) {
      first.set(key(item), i);
      return;
    }
    problems.push({
      path: pathOf(i),
      message: `duplicate ${what} "${key(item)}"`,
      hint: `each ${what} must be unique; rename or remove one`,
      firstPath: pathOf(earlier),
    });
  });
}
