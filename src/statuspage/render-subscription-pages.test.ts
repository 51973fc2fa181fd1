import { describe, expect, it } from 'vitest';
import {
  renderConfirmPage,
  renderSubscribePage,
  renderUnsubscribePage,
} from './render-subscription-pages.js';

describe('subscription pages', () => {
  it('escapes what the visitor typed when the form comes back with a problem', () => {
    const page = renderSubscribePage('Fleet <status>', [{ slug: 'pangeo', name: 'Pangeo & co' }], {
      email: '"><script>alert(1)</script>',
      problem: 'bad <b>address</b>',
      selected: ['pangeo'],
    });
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('bad &lt;b&gt;address&lt;/b&gt;');
    expect(page).toContain('name="community" value="pangeo" checked> Pangeo &amp; co');
    expect(page).not.toContain('http-equiv="refresh"');
  });

  it('links open a page whose only action is a button that POSTs', () => {
    const summary = { to: 'ana@example.org', scope: ['Pangeo'] };
    expect(renderConfirmPage('Fleet', 'tok', summary)).toContain(
      '<form method="post" action="/subscribe/confirm/tok"><button type="submit">Confirm</button></form>',
    );
    const unsubscribe = renderUnsubscribePage('Fleet', 'tok', { ...summary, scope: null });
    expect(unsubscribe).toContain('<form method="post" action="/unsubscribe/tok">');
    expect(unsubscribe).toContain('every community');
  });
});
