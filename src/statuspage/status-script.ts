import { createHash } from 'node:crypto';

// Plain ES2017 for every browser that runs it; pages work fully without it. It:
// - shows every <time datetime="…T…"> in the reader's own time zone (the UTC text stays in `title`);
// - listens to /events (server-sent events) and, on each `snapshot` event, fetches the current URL again
//   and swaps in the content of every [data-live] element by id, so forms being filled in keep their
//   text and focus, and open <details> stay open. A region whose HTML did not change is left alone,
//   so screen readers announce only real changes (aria-live="polite" on the banner).
const SOURCE = `(function () {
  'use strict';
  if (!window.fetch || !window.DOMParser) return;
  var format = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
  });
  var served = {};
  var lastVersion = null;
  var busy = false;
  var again = false;

  function localize(root) {
    var times = root.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var value = el.getAttribute('datetime');
      if (!value || value.indexOf('T') < 0) continue;
      var at = new Date(value);
      if (isNaN(at.getTime())) continue;
      if (!el.hasAttribute('title')) el.setAttribute('title', el.textContent);
      el.textContent = format.format(at);
    }
  }

  function remember() {
    var regions = document.querySelectorAll('[data-live][id]');
    for (var i = 0; i < regions.length; i++) served[regions[i].id] = regions[i].innerHTML;
  }

  function swap(text) {
    var fresh = new DOMParser().parseFromString(text, 'text/html');
    var regions = fresh.querySelectorAll('[data-live][id]');
    for (var i = 0; i < regions.length; i++) {
      var id = regions[i].id;
      var current = document.getElementById(id);
      var markup = regions[i].innerHTML;
      if (!current || !current.hasAttribute('data-live') || served[id] === markup) continue;
      var open = current.querySelectorAll('details[open][id]');
      var ids = [];
      for (var j = 0; j < open.length; j++) ids.push(open[j].id);
      current.innerHTML = markup;
      served[id] = markup;
      for (var k = 0; k < ids.length; k++) {
        var details = document.getElementById(ids[k]);
        if (details) details.open = true;
      }
      localize(current);
    }
    if (fresh.title) document.title = fresh.title;
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) { if (text) swap(text); })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  function listen() {
    if (!window.EventSource) return;
    var source = new EventSource('/events');
    source.addEventListener('snapshot', function (event) {
      if (event.data === lastVersion) return;
      lastVersion = event.data;
      refresh();
    });
  }

  remember();
  localize(document);
  listen();
})();
`;

/** The live-refresh script served at /static/status.js; no page has inline script. */
export const STATUS_SCRIPT = SOURCE;

/** Strong ETag of STATUS_SCRIPT (changes whenever its text does). */
export const STATUS_SCRIPT_ETAG = `"${createHash('sha256').update(SOURCE).digest('hex').slice(0, 16)}"`;

/** The URL pages load it from; the version query lets it be cached for a year. */
export const STATUS_SCRIPT_URL = `/static/status.js?v=${STATUS_SCRIPT_ETAG.slice(1, 9)}`;
