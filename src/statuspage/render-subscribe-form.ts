import { html, type SafeHtml } from './html.js';

/**
 * The "Get updates by email" form, posted to `/subscribe` without JavaScript with `email` and the
 * hidden `community` slug (the handler sends a confirmation link first).
 */
export function subscribeForm(community: { readonly slug: string; readonly name: string }): SafeHtml {
  return html`<form class="stack" method="post" action="/subscribe">
<input type="hidden" name="community" value="${community.slug}">
<p><label for="subscribe-email">Email address</label><br>
<input id="subscribe-email" name="email" type="email" required maxlength="254" autocomplete="email" aria-describedby="subscribe-hint"></p>
<p id="subscribe-hint" class="muted">We send a link to confirm first. Every email has a one-click unsubscribe link.</p>
<p><button type="submit">Subscribe to ${community.name}</button></p>
</form>`;
}
