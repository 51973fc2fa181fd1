import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of content or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(escapeHtml('Hub — Zürich 100 %')).toBe('Hub — Zürich 100 %');
  });
});

describe('html', () => {
  it('escapes an interpolated script tag', () => {
    const name = '<script>alert(1)</script>';
    const out = html`<h1>${name}</h1>`.toString();
    expect(out).toBe('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(out).not.toContain('<script>');
  });

  it('keeps a quote from closing an attribute and adding a handler', () => {
    const out = html`<a title="${'" onmouseover="x'}">x</a>`.toString();
    expect(out).toBe('<a title="&quot; onmouseover=&quot;x">x</a>');
  });

  it('escapes ampersands in attribute values such as query strings', () => {
    expect(html`<a href="${'/?q=a&status=affected'}">x</a>`.toString()).toBe(
      '<a href="/?q=a&amp;status=affected">x</a>',
    );
  });

  it('passes nested html through without escaping it twice', () => {
    const inner = html`<em>${'a & b'}</em>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>a &amp; b</em></p>');
  });

  it('joins arrays of fragments and escapes plain strings inside them', () => {
    const items = ['<x>', 'y'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}${['<raw>']}</ul>`.toString()).toBe(
      '<ul><li>&lt;x&gt;</li><li>y</li>&lt;raw&gt;</ul>',
    );
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${42}`.toString()).toBe('042');
  });

  it('returns SafeHtml whose toString is the markup', () => {
    const out = html`<b>x</b>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(`${out}`).toBe('<b>x</b>');
  });
});
