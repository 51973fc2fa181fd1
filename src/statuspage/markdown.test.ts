import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('keeps ordinary Markdown: emphasis, lists, http links', () => {
    const out = renderMarkdown('**Login** is slow.\n\n- hub-a\n- hub-b\n\n[details](https://example.org/x)');
    expect(out).toContain('<strong>Login</strong>');
    expect(out).toContain('<li>hub-a</li>');
    expect(out).toContain('<a href="https://example.org/x" rel="nofollow noopener noreferrer">details</a>');
  });

  it('shows script tags and event handlers as text, never as markup', () => {
    const out = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">');
    expect(out).not.toMatch(/<script|<img/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('does not turn javascript:, data: or vbscript: targets into links', () => {
    for (const target of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:x',
    ]) {
      const out = renderMarkdown(`[click](${target}) <${target}>`);
      expect(out).not.toMatch(/<a /);
    }
    expect(renderMarkdown('![x](javascript:alert(1))')).not.toMatch(/<img|<a /);
  });
});

describe('markdownToText', () => {
  it('drops markup and keeps the words', () => {
    expect(markdownToText('We are **investigating** <b>this</b>.')).toBe('We are investigating <b>this</b>.');
  });
});
