import { describe, expect, it } from 'vitest';
import { alphaHub, HOUR, incident, NOW, sampleSnapshot, update } from '../../test/support/sample-snapshot.js';
import { communityFeed, escapeXml, fleetFeed, renderAtom, renderRss } from './feeds.js';
import type { StatusSnapshot } from './status-snapshot.js';

const RSS_ELEMENTS = [
  'rss',
  'channel',
  'title',
  'link',
  'description',
  'language',
  'lastBuildDate',
  'atom:link',
  'item',
  'guid',
  'pubDate',
];
const ATOM_ELEMENTS = [
  'feed',
  'id',
  'title',
  'subtitle',
  'updated',
  'link',
  'author',
  'name',
  'entry',
  'published',
  'content',
];

const REFERENCE = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * A small XML well-formedness check (no DOM in Node): one root, every start tag closed in order,
 * attributes quoted, only the five XML entities or character references, no CDATA, comments or
 * processing instructions after the declaration. Returns the element names in document order.
 */
function wellFormedElements(xml: string): string[] {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!declaration.test(xml)) throw new Error('missing XML declaration');
  let rest = xml.replace(declaration, '');
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (REFERENCE.test(text)) throw new Error(`bare & in text: ${text.slice(0, 80)}`);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
    if (lt === -1) break;
    rest = rest.slice(lt);
    const end = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(rest);
    const start = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (end) {
      if (stack.pop() !== end[1]) throw new Error(`mismatched </${end[1]}>`);
      rest = rest.slice(end[0].length);
    } else if (start) {
      const [whole, name = '', attributes = '', selfClosing] = start;
      if (REFERENCE.test(attributes)) throw new Error(`bare & in attributes of <${name}>`);
      const attributeNames = [...attributes.matchAll(/([\w:.-]+)="/g)].map((m) => m[1]);
      if (new Set(attributeNames).size !== attributeNames.length) throw new Error(`duplicate attribute`);
      if (stack.length === 0) roots += 1;
      names.push(name);
      if (!selfClosing) stack.push(name);
      rest = rest.slice(whole.length);
    } else {
      throw new Error(`not a tag: ${rest.slice(0, 80)}`);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return names;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The HTML carried in each <description> or <content>, unescaped once (as a feed reader does). */
function carriedHtml(xml: string, element: 'description' | 'content'): string[] {
  const pattern = new RegExp(`<${element}[^>]*>([^<]*)</${element}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => unescapeXml(m[1] ?? ''));
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  ']]> & </description></item> <![CDATA[',
  '[ok](https://example.org/a?b=1&c=2)',
].join('\n\n');

function hostileSnapshot(): StatusSnapshot {
  return sampleSnapshot({
    pageName: 'Fleet <status> & "friends"',
    incidents: [
      incident({
        id: 'inc-x',
        title: '<script>alert("title")</script> & co',
        status: 'investigating',
        impact: 'major',
        createdAt: NOW - HOUR,
        communitySlugs: ['alpha'],
        components: [alphaHub],
        updates: [update('upd-x', 'investigating', HOSTILE, NOW - HOUR)],
      }),
    ],
    maintenances: [],
  });
}

describe('history feeds', () => {
  it('renders RSS 2.0 with one item per incident and maintenance, most recently updated first', () => {
    const xml = renderRss(fleetFeed(sampleSnapshot()));
    const elements = wellFormedElements(xml);
    expect(elements[0]).toBe('rss');
    expect(new Set(elements)).toEqual(new Set(RSS_ELEMENTS));
    expect([...xml.matchAll(/<guid isPermaLink="false">([^<]+)<\/guid>/g)].map((m) => m[1])).toEqual([
      'inc-east',
      'inc-hub',
      'mnt-beta',
      'mnt-east',
      'inc-beta',
      'mnt-alpha',
    ]);
    expect(xml).toContain('<link>http://status.example.org/incidents/inc-hub</link>');
    expect(xml).toContain(
      '<atom:link href="http://status.example.org/history.rss" rel="self" type="application/rss+xml"/>',
    );
    expect(xml).toContain(`<pubDate>${new Date(NOW - 2 * HOUR).toUTCString()}</pubDate>`);
    const hub = carriedHtml(xml, 'description').find((h) => h.includes('Found a'));
    expect(hub).toBe(
      '<p><strong>Identified</strong> — 21 Nov 2026, 14:00 UTC</p><p>Found a <strong>bad</strong> deploy.</p>\n' +
        '\n<p><strong>Investigating</strong> — 21 Nov 2026, 13:00 UTC</p><p>Hub returns 500.</p>\n',
    );
  });

  it('renders Atom 1.0 whose entry updated is the latest public update', () => {
    const xml = renderAtom(fleetFeed(sampleSnapshot()));
    const elements = wellFormedElements(xml);
    expect(elements[0]).toBe('feed');
    expect(new Set(elements)).toEqual(new Set(ATOM_ELEMENTS));
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    const hub = /<entry>\s*<id>http:\/\/status\.example\.org\/incidents\/inc-hub<\/id>[\s\S]*?<\/entry>/.exec(
      xml,
    )?.[0];
    expect(hub).toContain(`<published>${new Date(NOW - 2 * HOUR).toISOString()}</published>`);
    expect(hub).toContain(`<updated>${new Date(NOW - HOUR).toISOString()}</updated>`);
    expect(hub).toContain('<content type="html">&lt;p&gt;&lt;strong&gt;Identified&lt;/strong&gt;');
    expect(xml).toContain(`<updated>${new Date(NOW - 30 * 60_000).toISOString()}</updated>\n  <link`);
  });

  it('shows a maintenance window with its milestones', () => {
    const xml = renderRss(fleetFeed(sampleSnapshot()));
    const done = carriedHtml(xml, 'description').find((h) => h.includes('Completed'));
    expect(done).toBe(
      '<p><strong>Completed</strong> — 18 Nov 2026, 16:00 UTC</p>\n' +
        '<p><strong>In progress</strong> — 18 Nov 2026, 15:00 UTC</p>\n' +
        '<p><strong>Scheduled</strong> — 11 Nov 2026, 15:00 UTC</p>' +
        '<p>Scheduled for 18 Nov 2026, 15:00 UTC until 18 Nov 2026, 16:00 UTC</p>',
    );
    const active = carriedHtml(xml, 'description').find((h) => h.includes('database'));
    expect(active).toContain('<p>Moving the <strong>database</strong>.</p>');
  });

  it("gives a community feed only its page's incidents and maintenances, linking its own page", () => {
    const snapshot = sampleSnapshot();
    const beta = snapshot.communities.find((c) => c.slug === 'beta');
    if (!beta) throw new Error('no beta');
    const xml = renderAtom(communityFeed(snapshot, beta));
    wellFormedElements(xml);
    expect([...xml.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1])).toEqual([
      'http://status.example.org/maintenances/mnt-beta',
      'http://status.example.org/incidents/inc-beta',
    ]);
    expect(xml).toContain(
      '<link rel="self" type="application/atom+xml" href="http://status.example.org/c/beta/history.atom"/>',
    );
    expect(xml).toContain('<title type="text">Beta Forum — Fleet status</title>');
  });

  it('keeps script, event handlers and javascript: links in update bodies inert in both formats', () => {
    for (const [xml, element, own] of [
      [renderRss(fleetFeed(hostileSnapshot())), 'description', RSS_ELEMENTS],
      [renderAtom(fleetFeed(hostileSnapshot())), 'content', ATOM_ELEMENTS],
    ] as const) {
      // Parses as XML, and the only elements are the feed's own.
      expect(wellFormedElements(xml).filter((name) => !own.includes(name))).toEqual([]);
      expect(xml).not.toMatch(/<script|<img|<!\[CDATA\[/i);
      const carried = carriedHtml(xml, element).find((h) => h.includes('alert(1)'));
      if (!carried) throw new Error('the hostile update is missing');
      expect(carried).not.toMatch(/<script|<img/i);
      const tags = [...carried.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) {
        expect(tag).toMatch(/^<(p|strong|br|a)[\s>]/);
        expect(tag).not.toMatch(/\son\w+=/i);
        expect(tag).not.toMatch(/href="(?!https?:|mailto:)/i);
      }
      expect(tags).toContain(
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">',
      );
      // The hostile text is still there for people to read, as text.
      expect(carried).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(xml).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; co');
      expect(xml).toContain('Fleet &lt;status&gt; &amp; &quot;friends&quot;');
    }
  });
});

describe('the well-formedness check used here', () => {
  it('rejects what an XML parser rejects', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(wellFormedElements(`${head}<a b="1"><c/>x &amp; y</a>`)).toEqual(['a', 'c']);
    for (const bad of [
      '<a><b></a></b>',
      '<a>x & y</a>',
      '<a b=1></a>',
      '<a><![CDATA[x]]></a>',
      '<a></a><a></a>',
      '<a>',
      '<a b="1" b="2"></a>',
      '<a><script>alert(1)</a>',
    ]) {
      expect(() => wellFormedElements(`${head}${bad}`), bad).toThrow();
    }
  });
});

describe('escapeXml', () => {
  it('escapes markup characters and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('bell\u0007 form\u000C nul\u0000 tab\t nl\n ok')).toBe('bell form nul tab\t nl\n ok');
    expect(escapeXml('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe('lone  high, lone  low, pair 😀');
  });

  it('yields a well-formed feed for a title full of control characters', () => {
    const snapshot = sampleSnapshot();
    const first = snapshot.incidents[0];
    if (!first) throw new Error('no incident');
    const odd = { ...first, title: 'Hub\u0000\u001B[31m down\uFFFE' };
    wellFormedElements(renderRss(fleetFeed({ ...snapshot, incidents: [odd] })));
    wellFormedElements(renderAtom(fleetFeed({ ...snapshot, incidents: [odd] })));
  });
});
