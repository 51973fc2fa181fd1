import { type ComponentStatus, statusLabel } from './component-status.js';
import { html, SafeHtml } from './html.js';
import { STATUS_SCRIPT_URL } from './status-script.js';

/** What every public page needs; `body` becomes the content of <main>. */
export interface PageLayoutOptions {
  /** Plain text for <title>; escaped here. */
  readonly title: string;
  readonly pageName: string;
  readonly body: SafeHtml;
  /**
   * Seconds between reloads for readers without JavaScript (inside <noscript>); default 30. 0 marks a page
   * that is not live (error pages): no reload and no live-refresh script.
   */
  readonly refreshSeconds?: number;
  /** When the shown state was computed, epoch ms; shown in the footer when given. */
  readonly asOf?: number;
  /** Whose feeds and JSON the page links: the whole fleet (default) or one community. */
  readonly scope?: PageScope;
}

/** The fleet ('') or a community ('/c/<slug>'): the prefix of its history, feeds and JSON. */
export interface PageScope {
  readonly base: string;
  /** Shown in feed link titles, e.g. the community's name. */
  readonly name: string;
}

const DEFAULT_REFRESH_SECONDS = 30;

/**
 * A complete HTML document around `body`: one inline stylesheet (light and dark), feed and JSON
 * alternates, a header whose page name links to `/`, and a footer linking history, feeds and JSON. Live
 * pages load /static/status.js (server-sent events, local times); without JavaScript they reload
 * themselves through <noscript>. No inline script anywhere (the CSP forbids it).
 */
export function pageLayout(options: PageLayoutOptions): string {
  const refresh = Math.floor(options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS);
  const scope = options.scope ?? { base: '', name: options.pageName };
  const live = refresh > 0;
  const document = html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${live ? html`<noscript><meta http-equiv="refresh" content="${refresh}"></noscript>` : null}
<title>${options.title}</title>
<link rel="icon" href="data:,">
${alternates(scope)}
<style>${STYLE}</style>
${live ? html`<script src="${STATUS_SCRIPT_URL}" defer></script>` : null}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a class="brand" href="/">${options.pageName}</a></header>
<main id="main">
${options.body}
</main>
<footer class="site">
${options.asOf === undefined ? null : html`<p id="live-as-of" data-live>Status as of ${timeTag(options.asOf)}</p>`}
<p><a href="${scope.base}/history">Incident history</a> · Feeds: <a href="${scope.base}/history.rss">RSS</a>,
<a href="${scope.base}/history.atom">Atom</a> · <a href="${scope.base}/api/v2/summary.json">Status data as JSON</a></p>
<p>Times are shown in UTC, or in your own time zone when JavaScript is on. Powered by Firewatch.</p>
</footer>
</body>
</html>`;
  return `<!doctype html>\n${document}\n`;
}

function alternates(scope: PageScope): SafeHtml {
  return html`<link rel="alternate" type="application/rss+xml" title="${scope.name}: incident history (RSS)" href="${scope.base}/history.rss">
<link rel="alternate" type="application/atom+xml" title="${scope.name}: incident history (Atom)" href="${scope.base}/history.atom">
<link rel="alternate" type="application/json" title="${scope.name}: status (JSON)" href="${scope.base}/api/v2/summary.json">`;
}

/** A <section> that live refresh replaces as a whole; `id` must be stable across renders. */
export function liveRegion(id: string, content: SafeHtml | null, polite = false): SafeHtml {
  return html`<div id="${id}" data-live${polite ? html` aria-live="polite"` : null}>${content}</div>`;
}

/** A status glyph for sighted readers; hidden from screen readers because the words always follow it. */
export function statusIcon(status: ComponentStatus): SafeHtml {
  return html`<span class="icon" aria-hidden="true">${ICONS[status]}</span>`;
}

/** A status as glyph plus words ("Major outage"), with `data-status` for styling; never colour alone. */
export function statusBadge(status: ComponentStatus): SafeHtml {
  return html`<span class="status" data-status="${status}">${statusIcon(status)} ${statusLabel(status)}</span>`;
}

/** A <time> element showing an epoch-ms instant as "2026-11-21 15:00 UTC". */
export function timeTag(at: number): SafeHtml {
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`;
}

const ICONS: Readonly<Record<ComponentStatus, string>> = {
  operational: '✓',
  under_maintenance: '⚙',
  degraded_performance: '▲',
  partial_outage: '!',
  major_outage: '✕',
};

// Status colours meet 4.5:1 contrast on the page background in both schemes; words carry the meaning anyway.
const STYLE = new SafeHtml(`
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--link:#0969da;--ok:#1a7f37;--maint:#0969da;--degraded:#9a6700;--partial:#bc4c00;--major:#d1242f;
--bar-none:#d1d9e0;--bar-full:#2da44e;--bar-high:#d4a72c;--bar-mid:#e16f24;--bar-low:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--card:#151b23;--link:#4493f8;--ok:#3fb950;--maint:#4493f8;--degraded:#d29922;--partial:#db6d28;
--major:#f85149;--bar-none:#3d444d;--bar-full:#2ea043;--bar-high:#bb8009;--bar-mid:#bd561d;--bar-low:#da3633}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:52rem;padding:0 1rem;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
header.site{padding:1rem 0;border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
footer.site{margin:2rem 0;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.875rem}
footer.site p{margin:.25rem 0}
h1,h2,h3{line-height:1.25}
h3{font-size:1rem;margin:0}
[data-status=operational]{--tone:var(--ok)}
[data-status=under_maintenance]{--tone:var(--maint)}
[data-status=degraded_performance]{--tone:var(--degraded)}
[data-status=partial_outage]{--tone:var(--partial)}
[data-status=major_outage]{--tone:var(--major)}
.status{color:var(--tone);font-weight:600;white-space:nowrap}
.banner{margin:1.5rem 0;padding:1rem;border:1px solid var(--line);border-left:.5rem solid var(--tone);
border-radius:.375rem;background:var(--card)}
.banner h1{margin:0;font-size:1.5rem;color:var(--tone)}
.banner p{margin:.5rem 0 0}
.muted{color:var(--muted)}
.cards{list-style:none;margin:0;padding:0}
.cards>li{padding:.75rem 0;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:.25rem 1rem;
align-items:baseline}
.cards>li>:first-child{flex:1 1 12rem}
.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}
.filter label{display:block;font-size:.875rem;color:var(--muted)}
.filter input,.filter select,.filter button{font:inherit;padding:.375rem .5rem;min-height:2.5rem}
.components{list-style:none;margin:0;padding:0}
.components>li{padding:1rem 0;border-bottom:1px solid var(--line)}
.components .head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem}
.components p{margin:.25rem 0}
.bar{display:block;width:100%;height:2rem;margin-top:.5rem}
.bar rect{fill:var(--bar-none)}
.bar .full{fill:var(--bar-full)}.bar .high{fill:var(--bar-high)}.bar .mid{fill:var(--bar-mid)}
.bar .low{fill:var(--bar-low)}
.axis{display:flex;justify-content:space-between;font-size:.75rem;color:var(--muted)}
figure{margin:0}
.skip{position:absolute;left:-10000px;top:.5rem;padding:.5rem 1rem;background:var(--bg);color:var(--link)}
.skip:focus{left:.5rem}
[data-impact=critical]{--tone:var(--major)}[data-impact=major]{--tone:var(--partial)}
[data-impact=minor]{--tone:var(--degraded)}[data-impact=none]{--tone:var(--muted)}
[data-maintenance-status],[data-incident-status]{--tone:var(--maint)}
[data-incident-status=resolved],[data-incident-status=postmortem],[data-maintenance-status=completed]{--tone:var(--ok)}
.tag{display:inline-block;font-size:.875rem;font-weight:600;color:var(--tone);border:1px solid currentColor;
border-radius:1rem;padding:0 .5rem;margin:0 .25rem .25rem 0;white-space:nowrap}
.incident{margin:1rem 0;padding:1rem;border:1px solid var(--line);border-left:.5rem solid var(--tone);
border-radius:.375rem;background:var(--card)}
.incident h1,.incident h2,.incident h3{margin:0 0 .5rem}
.incident h2{font-size:1.125rem;margin-top:1rem}
.entries{list-style:none;margin:0;padding:0}
.entries>li{padding:.75rem 0;border-bottom:1px solid var(--line)}
.entries p{margin:.25rem 0}
.incident p{margin:.25rem 0}
.updates{list-style:none;margin:.75rem 0 0;padding:0}
.updates>li{padding:.75rem 0;border-top:1px solid var(--line)}
.update-head{margin:0}
.update-body{overflow-wrap:anywhere}
.update-body p{margin:.25rem 0}
.update-body pre{overflow:auto}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.days{margin:.5rem 0;padding-left:1.25rem;font-size:.875rem}
details summary{cursor:pointer;padding:.5rem 0;min-height:2.75rem}
form.stack,form.report{max-width:36rem}
form.stack input:not([type=hidden]),form.report input,form.report textarea,form.report select,form.stack textarea{
font:inherit;width:100%;padding:.5rem;min-height:2.75rem;border:1px solid var(--line);border-radius:.375rem;
background:var(--bg);color:var(--fg)}
form button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;border-radius:.375rem;border:1px solid var(--line);
background:var(--card);color:var(--fg);cursor:pointer}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);
white-space:nowrap;border:0}
`);
