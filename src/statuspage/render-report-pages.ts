import { html, type SafeHtml } from './html.js';
import { pageLayout } from './page-layout.js';

/** The community a report page is about, and the components its reports may name. */
export interface ReportPageCommunity {
  readonly slug: string;
  readonly name: string;
  readonly components: readonly { readonly ref: string; readonly name: string }[];
}

/** What the reporter typed, shown again when the form comes back with an error. */
export interface ReportFormValues {
  readonly description?: string;
  readonly component?: string;
  readonly contact?: string;
}

/** A problem with the form: the field it concerns and what to do, shown above the form. */
export interface ReportFormProblem {
  readonly field: string;
  readonly reason: string;
}

/**
 * The "Report a problem" form for one community (POST /c/<slug>/report), as a page of its own. With
 * `problem`, it is the answer to a refused post: the message names the field, the typed values are kept.
 * Works without JavaScript; never reloads itself (that would lose what was typed).
 */
export function renderReportFormPage(
  pageName: string,
  community: ReportPageCommunity,
  options: {
    readonly values?: ReportFormValues;
    readonly problem?: ReportFormProblem;
    readonly maxChars?: number;
  } = {},
): string {
  const problem = options.problem;
  const body = html`<p><a href="/c/${community.slug}">Back to ${community.name}</a></p>
<h1>Report a problem with ${community.name}</h1>
${
  problem === undefined
    ? html`<p>Tell the team what is not working. Reports reach the people who run ${community.name}; the status page shows what they find.</p>`
    : html`<div class="banner" data-status="major_outage" role="alert" id="problem">
<h2>Your report was not sent</h2>
<p>${FIELD_LABELS[problem.field] ?? problem.field}: ${problem.reason}.</p>
</div>`
}
${reportForm(community, options.values ?? {}, options.maxChars ?? 2000, problem?.field)}`;
  return pageLayout({
    title: `${problem ? 'Report not sent' : 'Report a problem'}: ${community.name} · ${pageName}`,
    pageName,
    body,
    refreshSeconds: 0,
  });
}

/**
 * The form alone, for embedding in another page (the community page). The `website` field is a honeypot:
 * hidden from people and screen readers, filled only by bots.
 */
export function reportForm(
  community: ReportPageCommunity,
  values: ReportFormValues = {},
  maxChars = 2000,
  invalidField?: string,
): SafeHtml {
  const invalid = (field: string) =>
    invalidField === field ? html` aria-invalid="true" aria-describedby="problem"` : null;
  return html`<form method="post" action="/c/${community.slug}/report" class="report">
<p><label for="report-description">What is not working? <span class="muted">(required)</span></label><br>
<textarea id="report-description" name="description" rows="6" cols="60" required maxlength="${maxChars}"${invalid('description')}>${values.description ?? ''}</textarea></p>
<p><label for="report-component">Which part? <span class="muted">(optional)</span></label><br>
<select id="report-component" name="component"${invalid('component')}>
<option value="">Not sure</option>
${community.components.map(
  (c) =>
    html`<option value="${c.ref}"${values.component === c.ref ? html` selected` : null}>${c.name}</option>`,
)}
</select></p>
<p><label for="report-contact">How can the team reach you? <span class="muted">(optional, e.g. an email address; not shown publicly)</span></label><br>
<input id="report-contact" name="contact" maxlength="200" size="40" value="${values.contact ?? ''}"${invalid('contact')}></p>
<p style="position:absolute;left:-10000px" aria-hidden="true"><label>Leave this empty <input name="website" tabindex="-1" autocomplete="off"></label></p>
<p><button type="submit">Send report</button></p>
</form>`;
}

/** The answer to a report that was taken in; `known` when it joined an incident the team is working on. */
export function renderReportThanksPage(
  pageName: string,
  community: { readonly slug: string; readonly name: string },
  known: boolean,
): string {
  const body = html`<h1>Thank you — your report reached the team</h1>
${
  known
    ? html`<p>The team is already working on a problem affecting ${community.name}, and your report has been added to it.</p>`
    : html`<p>The people who run ${community.name} will look at it. If you left a way to reach you, they may ask for details.</p>`
}
<p>Follow updates on the status page.</p>
<p><a href="/c/${community.slug}">Back to ${community.name}</a></p>`;
  return pageLayout({
    title: `Report sent: ${community.name} · ${pageName}`,
    pageName,
    body,
    refreshSeconds: 0,
  });
}

/** The answer when a limit refused the report (HTTP 429): the sentence says why and when to try again. */
export function renderReportRefusedPage(
  pageName: string,
  community: { readonly slug: string; readonly name: string },
  sentence: string,
): string {
  const body = html`<h1>Your report was not sent</h1>
<p>${sentence}</p>
<p><a href="/c/${community.slug}">Back to ${community.name}</a></p>`;
  return pageLayout({
    title: `Report not sent: ${community.name} · ${pageName}`,
    pageName,
    body,
    refreshSeconds: 0,
  });
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  description: 'What is not working',
  component: 'Which part',
  contact: 'How to reach you',
};
