/**
 * The key that puts alerts into one group: the sender's own grouping when it has one
 * (Alertmanager's groupKey), else the values of the rule's `groupBy` labels, else the alert's
 * own dedup key (a group of one). Alerts with one key open at the same time share a group, so
 * a cluster failure that hits 20 communities is one group — and one page — not 20.
 */
export function groupKeyFor(
  dedupKey: string,
  labels: Readonly<Record<string, string>>,
  groupBy: readonly string[],
  senderGroupKey: string | undefined,
  owner: string,
): string {
  if (senderGroupKey !== undefined && senderGroupKey !== '') return senderGroupKey;
  if (groupBy.length === 0) return `key:${dedupKey}`;
  return `${owner}:${groupBy.map((name) => `${name}=${labels[name] ?? ''}`).join(',')}`;
}
