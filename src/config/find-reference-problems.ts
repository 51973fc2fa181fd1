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

/** Duplicate slugs and keys, reserved slugs and unknown depends_on entries; empty when consistent. */
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
  return problems;
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
