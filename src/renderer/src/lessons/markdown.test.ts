// @vitest-environment jsdom
// The lesson narrative renderer (markdown.ts): marked, then DOMPurify with an allow-list. A
// narrative comes from whoever wrote the lesson, so every hostile narrative below must come out inert: only
// allow-listed elements, no event handlers, no style, no URL but http(s). Runs in jsdom (DOMPurify needs a DOM).
import { describe, expect, it } from 'vitest';
import { createNarrativeRenderer, markdownHtml, NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS } from './markdown.ts';
import { openExternal } from './open-external.ts';

const renderer = createNarrativeRenderer(window);
const dom = { window };
const renderMarkdown = (source: string): string => renderer.toHtml(source);

/** Every element and attribute of the rendered narrative, as a page would hold it after insertion. */
function inserted(source: string): Element {
  const box = dom.window.document.createElement('div');
  box.append(renderer.toFragment(source));
  // and once more through the parser, as innerHTML would: sanitized output must be stable (no mutation XSS)
  const reparsed = dom.window.document.createElement('div');
  reparsed.innerHTML = box.innerHTML;
  expect(reparsed.innerHTML).toBe(box.innerHTML);
  return box;
}

function expectInert(source: string): Element {
  const box = inserted(source);
  for (const el of box.querySelectorAll('*')) {
    expect(NARRATIVE_TAGS as readonly string[], `<${el.localName}> from ${JSON.stringify(source)}`).toContain(el.localName);
    expect(el.namespaceURI).toBe('http://www.w3.org/1999/xhtml');
    for (const attr of el.attributes) {
      expect([...NARRATIVE_ATTRIBUTES, 'rel'] as string[], `${attr.name} on <${el.localName}> from ${JSON.stringify(source)}`).toContain(attr.name);
      if (attr.name === 'href') expect(attr.value).toMatch(/^https?:\/\//i);
      if (attr.name === 'class') expect(attr.value).toBe('image-alt');
    }
  }
  return box;
}

/** Each trick tried against marked + the old escaping renderer, and a few classics. */
const HOSTILE: readonly [string, string][] = [
  // marked leaves text after an inline <code>/<pre>/<kbd> unescaped, so an unterminated tag there became real
  // markup under the old renderer (checked against main's: `<img onerror>` survived)
  ['raw text after inline <code>: unterminated tag', '<code>x <img src=x onerror=alert(1)// y'],
  ['raw text after inline <kbd>: unterminated meta refresh', 'press <kbd>K <meta http-equiv=refresh content="0;url=https://evil.example/" '],
  ['raw text after inline <pre>: unterminated popover', '<pre> <div popover=manual id=p onfocus=alert(1) autofocus '],
  ['raw text after inline <code>: unterminated javascript link', 'see <code>x <a href=javascript:alert(1) '],
  ['raw text after inline <code>: unterminated style attribute', '<code>x <span style="position:fixed;inset:0;z-index:99999;background:red" '],
  ['raw text after inline <code>', 'Try <code>x <img src=x onerror=alert(1)> y</code> now'],
  ['raw text after inline <pre>', 'a <pre><img src=x onerror=alert(1)></pre>'],
  ['raw text after inline <kbd>', 'press <kbd>K<style>dialog{opacity:0}</style></kbd>'],
  ['style element', '<style>dialog[data-testid=trust-prompt]{opacity:0;transform:scale(40)}</style>\n\ntext'],
  ['style inside code span trick', 'x <code>a</code><style>*{display:none}</style>'],
  ['meta refresh', 'x <code>a</code><meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ['link stylesheet', 'x <kbd>a</kbd><link rel="stylesheet" href="https://evil.example/x.css">'],
  ['iframe srcdoc', 'x <code>a</code><iframe srcdoc="<script>parent.alert(1)</script>"></iframe>'],
  ['form and button', 'x <code>a</code><form action="https://evil.example"><button formaction="javascript:alert(1)">Run</button></form>'],
  ['base href', 'x <code>a</code><base href="https://evil.example/">'],
  ['javascript: link', '[click](javascript:alert(1)) [CLICK](JaVaScRiPt:alert(1)) [sp]( javascript:alert(1))'],
  ['entity-encoded javascript: link', '[e](&#106;avascript:alert(1)) x <code>a</code><a href="&#x6A;avascript&colon;alert(1)">b</a>'],
  ['data: and file: links', '[d](data:text/html,<script>alert(1)</script>) [f](file:///etc/passwd) [v](vbscript:x)'],
  ['in-page link (would replace the token in the URL)', '[top](#token=forged)'],
  ['target and event attributes on an http link', 'x <code>a</code><a href="https://ok.example" target="_top" onclick="alert(1)" style="position:fixed;inset:0">big</a>'],
  ['SVG with script, handlers and xlink', 'x <code>a</code><svg onload=alert(1)><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>t</text></a><style>*{}</style></svg>'],
  ['SVG foreignObject', 'x <kbd>a</kbd><svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>'],
  ['MathML namespace confusion (mXSS)', 'x <code>a</code><math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'],
  ['MathML href', 'x <code>a</code><math href="javascript:alert(1)"><mi>x</mi></math>'],
  ['noscript mXSS', 'x <code>a</code><noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['nested code spans', '`` `<img src=x onerror=alert(1)>` `` and <code><code><img src=x onerror=alert(2)></code></code>'],
  ['details ontoggle', 'x <code>a</code><details open ontoggle=alert(1)><summary>s</summary></details>'],
  ['popover in the top layer', 'x <code>a</code><div popover id="p">fake prompt</div><button popovertarget="p">Run</button>'],
  ['id and name clobbering', 'x <code>a</code><span id="app" name="loopscope">c</span><a name="body" id="location">d</a>'],
  ['template and dialog', 'x <code>a</code><template><img src=x onerror=alert(1)></template><dialog open>Run?</dialog>'],
  ['image with handler', '![alt](javascript:alert(1) "t") ![x" onerror="alert(1)](https://e.example/x.png)'],
  ['class borrowing', 'x <code>a</code><span class="primary banner">c</span>'],
  ['object and embed', 'x <code>a</code><object data="x"></object><embed src="x">'],
];

describe('lesson narrative markdown', () => {
  it('renders headings, code, lists and tables', () => {
    const html = renderMarkdown('# Title\n\nUse `setTimeout`.\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<code>setTimeout</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toMatch(/<td align="right">2<\/td>/);
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<script|<img|<iframe/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps only http(s) links, with no target and no opener', () => {
    const html = renderMarkdown('[ok](https://nodejs.org/) [js](javascript:alert(1)) [file](file:///etc/passwd) [here](#part)');
    expect(html).toContain('<a href="https://nodejs.org/" rel="noopener noreferrer">ok</a>');
    expect(html).not.toMatch(/javascript:|file:|#part|target=/);
    expect(html).toContain('js');
    expect(html).toContain('here');
  });

  it('never loads images (nothing is fetched from the network)', () => {
    const html = renderMarkdown('![diagram](https://example.com/x.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[diagram]');
  });

  it('keeps HTML entities as the characters they stand for, as text', () => {
    const box = expectInert('5 &lt; 6 &amp;&amp; `a &lt;b&gt;` &#60;img src=x onerror=alert(1)&#62;');
    expect(box.querySelector('img')).toBeNull();
    expect(box.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  for (const [name, source] of HOSTILE) {
    it(`renders inert: ${name}`, () => {
      const box = expectInert(source);
      expect(box.querySelector('style, meta, link, iframe, form, button, svg, math, img, script, base, template, dialog, object, embed, [popover], [id]')).toBeNull();
    });
  }

  it('marked alone (step 1) no longer passes raw text after an inline <code>/<pre>/<kbd> (DOMPurify is the second layer)', () => {
    for (const [name, source] of HOSTILE.filter(([n]) => n.startsWith('raw text after'))) {
      // only marked's own paragraphs and GFM autolinks of http(s) URLs are markup
      expect(markdownHtml(source).replace(/<a href="https?:\/\/[^"<>]*">|<\/a>/g, ''), name).not.toMatch(/<(?!\/?p>)[a-z/]/i);
    }
  });

  it('keeps the text a hostile snippet was wrapped in (nothing silently vanishes)', () => {
    const box = expectInert('Try <code>x <img src=x onerror=alert(1)> y</code> now');
    expect(box.textContent).toContain('Try');
    expect(box.textContent).toContain('now');
  });
});

describe('links from a narrative', () => {
  it('open outside the app only for http(s), never in the app page', async () => {
    const opened: string[][] = [];
    const open = (u: string, t: string, f: string): void => void opened.push([u, t, f]);
    expect(openExternal('https://nodejs.org/api/', open)).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', '#token=forged', '/index.html', 'loopscope://app/index.html']) expect(openExternal(bad, open)).toBe(false);
    expect(opened).toEqual([['https://nodejs.org/api/', '_blank', 'noopener,noreferrer']]);
  });
});
