import { html, type SafeHtml } from './html.js';
import { pageLayout } from './page-layout.js';

// The public pages of email subscriptions: the form, "check your inbox", and the confirm and
// unsubscribe pages behind the links in emails. Each link opens a page with one button that POSTs:
// mail scanners fetch links (GET) and must not confirm or unsubscribe anyone. No JavaScript needed.

/** A community a subscriber can choose. */
export interface SubscribableCommunity {
  readonly slug: string;
  readonly name: string;
}

/** What a confirm or unsubscribe page says about the subscription (never a token). */
export interface SubscriptionSummary {
  readonly to: string;
  /** Community names; null = the whole fleet. */
  readonly scope: readonly string[] | null;
}

/**
 * The subscribe form (POST /subscribe): an email address and communities to follow (none ticked =
 * every community). With `problem`, the answer to a refused post: the message says what to fix.
 */
export function renderSubscribePage(
  pageName: string,
  communities: readonly SubscribableCommunity[],
  options: { readonly selected?: readonly string[]; readonly email?: string; readonly problem?: string } = {},
): string {
  const selected = new Set(options.selected ?? []);
  const problem = options.problem;
  const body = html`<h1>Get updates by email</h1>
${
  problem === undefined
    ? html`<p>We email you when an incident is posted or updated and before, at the start and at the end of scheduled maintenance.</p>`
    : html`<div class="banner" data-status="major_outage" role="alert" id="problem">
<h2>Not subscribed</h2>
<p>${problem}</p>
</div>`
}
<form method="post" action="/subscribe">
<p><label for="subscribe-email">Email address</label><br>
<input id="subscribe-email" name="email" type="email" required maxlength="254" autocomplete="email" value="${options.email ?? ''}"${problem === undefined ? null : html` aria-invalid="true" aria-describedby="problem"`}></p>
${
  communities.length === 0
    ? null
    : html`<fieldset>
<legend>Communities <span class="muted">(tick none for all of them)</span></legend>
${communities.map(
  (c) =>
    html`<label><input type="checkbox" name="community" value="${c.slug}"${selected.has(c.slug) ? html` checked` : null}> ${c.name}</label><br>`,
)}
</fieldset>`
}
<p class="muted">We send a link to confirm first. Every email has a one-click unsubscribe link.</p>
<p><button type="submit">Subscribe</button></p>
</form>`;
  return page(problem === undefined ? 'Get updates by email' : 'Not subscribed', pageName, body);
}

/** The answer to every accepted subscribe request, whether or not the address was known (nothing leaks). */
export function renderSubscribeAcceptedPage(pageName: string): string {
  return page(
    'Check your inbox',
    pageName,
    html`<h1>Check your inbox</h1>
<p>If the address can receive email, a link to confirm the subscription is on its way. Nothing else is sent before you confirm.</p>
<p><a href="/">Back to the status page</a></p>`,
  );
}

/** The page a confirmation link opens: what will be confirmed, and the button that confirms it. */
export function renderConfirmPage(pageName: string, token: string, summary: SubscriptionSummary): string {
  return page(
    'Confirm your subscription',
    pageName,
    html`<h1>Confirm your subscription</h1>
<p>Send updates about ${scopeWords(summary)} to <strong>${summary.to}</strong>?</p>
<form method="post" action="/subscribe/confirm/${token}"><button type="submit">Confirm</button></form>`,
  );
}

/** The answer to a confirmation. */
export function renderConfirmedPage(pageName: string, summary: SubscriptionSummary): string {
  return page(
    'Subscribed',
    pageName,
    html`<h1>Subscribed</h1>
<p><strong>${summary.to}</strong> now gets updates about ${scopeWords(summary)}. Every email has a link to unsubscribe.</p>
<p><a href="/">Back to the status page</a></p>`,
  );
}

/** The page an unsubscribe link opens: one button that unsubscribes. */
export function renderUnsubscribePage(pageName: string, token: string, summary: SubscriptionSummary): string {
  return page(
    'Unsubscribe',
    pageName,
    html`<h1>Unsubscribe</h1>
<p>Stop sending updates about ${scopeWords(summary)} to <strong>${summary.to}</strong>?</p>
<form method="post" action="/unsubscribe/${token}"><button type="submit">Unsubscribe</button></form>`,
  );
}

/** The answer to an unsubscribe, also when it had been done before. */
export function renderUnsubscribedPage(pageName: string, summary: SubscriptionSummary): string {
  return page(
    'Unsubscribed',
    pageName,
    html`<h1>Unsubscribed</h1>
<p><strong>${summary.to}</strong> gets no more updates from this status page. You can subscribe again at any time.</p>
<p><a href="/subscribe">Subscribe again</a> · <a href="/">Back to the status page</a></p>`,
  );
}

/** A link that does not work: unknown (used, replaced by a newer one, never issued) or expired. */
export function renderLinkProblemPage(pageName: string, problem: 'unknown' | 'expired'): string {
  const sentence =
    problem === 'expired'
      ? 'This confirmation link has expired. Subscribe again to get a new one.'
      : 'This link is not valid: it was used already, a newer email replaced it, or it was mistyped.';
  return page(
    'Link not valid',
    pageName,
    html`<h1>Link not valid</h1>
<p>${sentence}</p>
<p><a href="/subscribe">Subscribe</a> · <a href="/">Back to the status page</a></p>`,
  );
}

/** The answer when an address (IP) sent too many subscribe requests. */
export function renderTooManyPage(pageName: string, sentence: string): string {
  return page(
    'Too many requests',
    pageName,
    html`<h1>Too many requests</h1>
<p>${sentence}</p>`,
  );
}

function scopeWords(summary: SubscriptionSummary): SafeHtml {
  return summary.scope === null
    ? html`every community`
    : html`${summary.scope.map((name, i) => html`${i === 0 ? '' : ', '}<strong>${name}</strong>`)}`;
}

function page(title: string, pageName: string, body: SafeHtml): string {
  return pageLayout({ title: `${title} · ${pageName}`, pageName, body, refreshSeconds: 0 });
}
