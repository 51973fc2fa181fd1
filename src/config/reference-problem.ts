/** A path into the YAML file (or an API body): keys and list indexes from the root. */
export type YamlPath = readonly (string | number)[];

/** A cross-reference mistake (duplicate, unknown dependency) at a YAML path of the file. */
export interface ReferenceProblem {
  readonly path: YamlPath;
  readonly message: string;
  readonly hint: string;
  /** For a duplicate: where the first occurrence is. */
  readonly firstPath: YamlPath | null;
}

/** Adds a problem for every item whose key an earlier item has already. */
export function duplicates<T>(
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

/** `; known: a, b, c` (at most ten names), or nothing when there are none. */
export function known(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, 10).join(', ');
  return `; known: ${shown}${names.length > 10 ? ', …' : ''}`;
}
