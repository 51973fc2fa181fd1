/**
 * text cut to at most max units of size (UTF-16 code units by default, which is never less than the
 * character count that Discord, Slack and Teams limit), ending in "…" when cut. Never splits a character.
 */
export function truncate(text: string, max: number, size: (text: string) => number = lengthOf): string {
  if (size(text) <= max) return text;
  const room = max - size('…');
  let kept = '';
  let used = 0;
  for (const char of text) {
    const charSize = size(char);
    if (used + charSize > room) break;
    kept += char;
    used += charSize;
  }
  return `${kept}…`;
}

/** Size in UTF-8 bytes, for limits counted in bytes (ntfy). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function lengthOf(text: string): number {
  return text.length;
}
