import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { z } from 'zod';
import { findReferenceProblems } from './find-reference-problems.js';
import { describeValue, type FleetConfig, fleetFileSchema } from './fleet-config.js';

/** One mistake in a config file: where it is and what to do about it. Lines and columns start at 1. */
export interface ConfigError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** YAML path like `communities[2].components[0].monitors[1].url`; empty for the file as a whole. */
  readonly path: string;
  /** What is wrong, then ` — ` and how to fix it. */
  readonly message: string;
}

export type ParseConfigResult =
  | { readonly ok: true; readonly config: FleetConfig }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

/**
 * Parses and validates a config file (see fleet-config.ts for its shape). Reports every mistake it
 * can find, in file order, each pointing at the offending key or value.
 */
export function parseConfigFile(text: string, fileName: string): ParseConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file: fileName,
        ...at(e.pos[0]),
        path: '',
        message: syntaxMessage(e),
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const message = `cannot read the YAML: ${(error as Error).message} — simplify the anchors and aliases`;
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, path: '', message }] };
  }
  if (data === null || data === undefined) {
    const message = 'the file is empty — start it with "version: 1" and a list of communities';
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, path: '', message }] };
  }
  const locate = (path: Path, pointAtKey: boolean) => at(nodeOffset(doc.contents, path, pointAtKey, doc));
  const error = (path: Path, message: string, pointAtKey = false): ConfigError => ({
    file: fileName,
    ...locate(path, pointAtKey),
    path: formatPath(path),
    message,
  });

  const parsed = fleetFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) => explain(issue, [], data, error));
    return { ok: false, errors: inFileOrder(errors) };
  }
  const problems = findReferenceProblems(parsed.data);
  if (problems.length > 0) {
    const errors = problems.map((p) => {
      const first = p.firstPath === null ? '' : ` (first at line ${locate(p.firstPath, false).line})`;
      return error(p.path, `${p.message}${first} — ${p.hint}`);
    });
    return { ok: false, errors: inFileOrder(errors) };
  }
  return { ok: true, config: parsed.data };
}

/** `demo.yaml:14:9 communities[2].url: invalid URL "htp:/x" — use an absolute http:// or https:// URL`. */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column}${e.path === '' ? '' : ` ${e.path}`}: ${e.message}`;
}

type MakeError = (path: Path, message: string, pointAtKey?: boolean) => ConfigError;

/** Words one zod issue (custom issues already say what to do) as ConfigErrors. */
function explain(issue: Issue, prefix: Path, root: unknown, error: MakeError): ConfigError[] {
  const path = [...prefix, ...issue.path];
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) =>
        error([...path, key], unknownField(key, allowedFields(path, root)), true),
      );
    case 'invalid_type':
      if (input === undefined && !hasKey(root, path)) {
        const field = String(path.at(-1));
        return [error(path, `missing required field "${field}" — add "${field}: …" here`)];
      }
      return [error(path, wrongType(issue.expected, input))];
    case 'invalid_value':
      return [
        error(
          path,
          `invalid value ${describeValue(input)} — use one of: ${issue.values.map(String).join(', ')}`,
        ),
      ];
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const subject =
        issue.origin === 'array'
          ? 'the list has the wrong length'
          : `${describeValue(input)} is out of range`;
      return [error(path, `${subject} — use ${limit}`)];
    }
    case 'invalid_union': {
      // An object fits the map-shaped branch: report what is wrong inside it rather than "no branch fits".
      const branch = isPlainObject(input)
        ? issue.errors.find((issues) => !issues.some((i) => i.path.length === 0 && i.code === 'invalid_type'))
        : undefined;
      if (branch) return branch.flatMap((i) => explain(i, path, root, error));
      // A discriminated union (monitor types) whose discriminator matched nothing: point at the type field.
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator && isPlainObject(input) && hasKey(root, [...path, discriminator])) {
        return [error([...path, discriminator], issue.message)];
      }
      return [error(path, issue.message)];
    }
    default:
      return [error(path, issue.message)];
  }
}

const EXPECTED: Readonly<Record<string, readonly [what: string, how: string]>> = {
  string: ['text', 'write a single text value'],
  number: ['a number', 'write digits without quotes, e.g. 5'],
  int: ['a whole number', 'write digits without quotes, e.g. 5'],
  boolean: ['true or false', 'write true or false without quotes'],
  array: ['a list', 'write [a, b] or one "- item" per line'],
  object: ['a map of fields', 'write "field: value" lines indented under it'],
  record: ['a map of names to text', 'write "Name: value" lines indented under it'],
};

function wrongType(expected: string, input: unknown): string {
  const [what, how] = EXPECTED[expected] ?? [expected, `write ${expected}`];
  const fix =
    expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')
      ? `quote it: "${input}"`
      : how;
  return `expected ${what}, got ${describeValue(input)} — ${fix}`;
}

function unknownField(key: PropertyKey, allowed: readonly string[]): string {
  const name = String(key);
  const guess = closest(name, allowed);
  return `unknown field "${name}" — allowed: ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`;
}

/** The allowed name nearest to `name` by edit distance, if it is plausibly a typo. */
function closest(name: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of allowed) {
    const distance =
      candidate.startsWith(name) || name.startsWith(candidate) ? 1 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = row;
  }
  return previous[b.length]!;
}

interface SchemaNode {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, SchemaNode>>;
      readonly element?: SchemaNode;
      readonly innerType?: SchemaNode;
      readonly in?: SchemaNode;
      readonly options?: readonly SchemaNode[];
      readonly valueType?: SchemaNode;
      readonly discriminator?: string;
      readonly values?: readonly unknown[];
    };
  };
}

/** The field names the file's schema allows in the map at `path` (of the file's value `root`). */
function allowedFields(path: Path, root: unknown): string[] {
  const shape = objectShape(
    schemaAt(fleetFileSchema as unknown as SchemaNode, path, root),
    valueAt(root, path),
  );
  return shape ? Object.keys(shape) : [];
}

function schemaAt(node: SchemaNode | undefined, path: Path, value: unknown): SchemaNode | undefined {
  if (node === undefined || path.length === 0) return node;
  const [head, ...rest] = path;
  const def = unwrap(node)._zod.def;
  if (def.type === 'union') {
    return unionOptions(def, value)
      .map((option) => schemaAt(option, path, value))
      .find((found) => found !== undefined);
  }
  const next =
    def.type === 'object' ? def.shape?.[String(head)] : def.type === 'array' ? def.element : def.valueType;
  return schemaAt(next, rest, valueAt(value, [head!]));
}

function objectShape(
  node: SchemaNode | undefined,
  value: unknown,
): Readonly<Record<string, SchemaNode>> | undefined {
  if (node === undefined) return undefined;
  const def = unwrap(node)._zod.def;
  if (def.type === 'union') {
    return unionOptions(def, value)
      .map((option) => objectShape(option, value))
      .find((shape) => shape !== undefined);
  }
  return def.type === 'object' ? def.shape : undefined;
}

/** A discriminated union's options, the one matching the value's discriminator first (monitor types). */
function unionOptions(def: SchemaNode['_zod']['def'], value: unknown): readonly SchemaNode[] {
  const options = def.options ?? [];
  const discriminator = def.discriminator;
  if (!discriminator || !isPlainObject(value)) return options;
  const wanted = (value as Record<string, unknown>)[discriminator];
  const matches = (option: SchemaNode) =>
    unwrap(option)._zod.def.shape?.[discriminator]?._zod.def.values?.includes(wanted) === true;
  return [...options.filter(matches), ...options.filter((o) => !matches(o))];
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key as string | number];
  }
  return current;
}

/** Looks through optional, nullable and transform wrappers to the schema that checks the input. */
function unwrap(node: SchemaNode): SchemaNode {
  const def = node._zod.def;
  const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  return inner ? unwrap(inner) : node;
}

function hasKey(root: unknown, path: Path): boolean {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Source offset of the node at `path`: the value, or its key when `pointAtKey`; for a path that does
 * not exist (a missing field), the nearest map or list that does.
 */
function nodeOffset(root: unknown, path: Path, pointAtKey: boolean, doc: Document): number {
  let node = root;
  let offset = rangeStart(root) ?? 0;
  for (const [index, key] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (pair === undefined) return offset;
      if (pointAtKey && index === path.length - 1) return rangeStart(pair.key) ?? offset;
      next = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    const start = rangeStart(next);
    if (start === undefined) return offset;
    node = next;
    offset = start;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range ? range[0] : undefined;
}

/** `communities[2].components[0].headers["X Probe"]`. */
function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(key))) text += `${text === '' ? '' : '.'}${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

function syntaxMessage(e: YAMLError): string {
  const hint =
    e.code === 'DUPLICATE_KEY'
      ? 'remove or rename one of the two keys'
      : e.code === 'TAB_AS_INDENT'
        ? 'indent with spaces, not tabs'
        : e.code === 'MULTIPLE_DOCS'
          ? 'keep the whole fleet in one YAML document (remove the second ---)'
          : 'fix the YAML syntax: check the indentation, colons and quotes around here';
  return `YAML syntax error: ${e.message.replace(/\s+/g, ' ').trim()} — ${hint}`;
}

function inFileOrder(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}
