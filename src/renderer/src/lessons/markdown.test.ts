// The lesson narrative renderer is pure, so it is tested in Node: lessons may come from any folder a learner
// opens, so their README must not be able to inject markup or scripts.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';

describe('lesson narrative markdown', () => {
  it('renders headings, code and lists', () => {
    const html = renderMarkdown('# Title\n\nUse `setTimeout`.\n\n- one\n- two\n');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<code>setTimeout</code>');
    expect(html).toContain('<li>one</li>');
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<script|<img|<iframe/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps only http(s) and in-page links, opening outside the app', () => {
    const html = renderMarkdown('[ok](https://nodejs.org/) [js](javascript:alert(1)) [file](file:///etc/passwd) [here](#part)');
    expect(html).toContain('<a href="https://nodejs.org/" rel="noopener noreferrer" target="_blank">ok</a>');
    expect(html).not.toMatch(/javascript:|file:/);
    expect(html).toContain('js');
    expect(html).toContain('href="#part"');
  });

  it('never loads images (nothing is fetched from the network)', () => {
    const html = renderMarkdown('![diagram](https://example.com/x.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[diagram]');
  });
});
