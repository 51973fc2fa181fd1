import { describe, expect, it } from 'vitest';
import { sampleMessage } from '../../../test/support/sample-message.js';
import { emailContent } from './email-content.js';

describe('emailContent', () => {
  it('puts one "<label>: <url>" line per link after the text', () => {
    const message = sampleMessage();
    expect(emailContent(message).text).toBe(
      `${message.text}\n\nAcknowledge: ${message.actions[0]?.url}\nResolve: ${message.actions[1]?.url}\n` +
        `Open in Firewatch: ${message.url}`,
    );
  });

  it('escapes the HTML alternative and links the actions', () => {
    const message = sampleMessage({
      title: 'Hub <script>',
      text: 'a & b\n\n"quoted"',
      url: null,
      actions: [{ label: 'Ack <now>', url: 'https://fw.example/a?x=1&y="2"' }],
    });
    const { html, subject } = emailContent(message);
    expect(subject).toBe('[PAGE] Hub <script>');
    expect(html).toContain('<h2>Hub &lt;script&gt;</h2>');
    expect(html).toContain('<p>a &amp; b</p>\n<p>&quot;quoted&quot;</p>');
    expect(html).toContain('<a href="https://fw.example/a?x=1&amp;y=&quot;2&quot;">Ack &lt;now&gt;</a>');
    expect(html).not.toContain('<script>');
  });
});
