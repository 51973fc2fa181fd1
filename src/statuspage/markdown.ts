import MarkdownIt from 'markdown-it';

// Raw HTML off (a <script> or an onerror= attribute is shown as text), links only to http(s) and mailto,
// images off (no tracking pixels, no `javascript:`/`data:` sources), every link opened without a referrer.
const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: true });
md.disable(['image']);
md.validateLink = (url: string): boolean => /^(https?:|mailto:)/i.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * Renders incident-update and maintenance Markdown to HTML that is safe to emit on any page or feed:
 * no raw HTML, no event handlers, no script or data links. The only Markdown renderer in Firewatch.
 */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The Markdown as plain text (for emails, feed titles and webhook bodies): rendered, then tags dropped. */
export function markdownToText(source: string): string {
  return md
    .render(source)
    .replace(/<\/(p|li|h\d|blockquote|pre)>/g, '\n')
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
