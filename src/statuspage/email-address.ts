const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The address in the form subscribers are stored under (trimmed, lowercased), or null when it is not
 * a plain deliverable address: a dot-atom local part of at most 64 characters, `@`, and a domain of
 * at least two DNS labels; at most 254 characters in all. Quoted local parts and IP literals are refused.
 */
export function normaliseEmail(text: string): string | null {
  const address = text.trim().toLowerCase();
  if (address.length > 254) return null;
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.')) return null;
  if (local.includes('..') || labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return null;
  return address;
}
