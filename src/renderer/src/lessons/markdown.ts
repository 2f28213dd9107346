/**
 * Lesson narratives (README.md) to inert HTML. Lessons come from any folder the learner opens and from packs, so
 * the narrative is hostile input, handled in two independent steps:
 *
 * 1. marked renders the Markdown with raw HTML escaped, links kept only for http(s) targets and images replaced by
 *    their alt text (the renderer fetches nothing from the network). marked treats text after an inline `<code>`,
 *    `<pre>` or `<kbd>` tag as already escaped and passes it through raw, so `<code>x <img onerror=…` used to
 *    reach the page as a real element; the text renderer here escapes every text token itself.
 * 2. DOMPurify (maintained, parser-based) cleans marked's output against an allow-list, so a trick that gets past
 *    step 1 (a marked change, a case nobody thought of) still cannot reach the page.
 *
 * What survives: text formatting, headings, lists, quotes, code, tables and http(s) links — no `style`, `meta`,
 * `link`, `iframe`, `form`, `svg`, `math`, images, ids, `popover`, event attributes or any other URL scheme.
 * Links carry no target: the Narrative component opens them through the vetted external-open path
 * (open-external.ts), so a click never navigates the app. Pure given a `Window`, so it runs in the renderer and
 * in jsdom for tests.
 */
import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import { Marked } from 'marked';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Like escapeHtml, but an entity the author wrote (`&lt;`, `&#60;`) stays the character it stands for. */
const escapeText = (s: string): string => s.replace(/&(?!#?\w+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const HTTP_URL = /^https?:\/\//i;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    text(token) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      return escapeText(token.text); // never raw, not even inside what marked took for a raw HTML span
    },
    link({ href, tokens }) {
      const inner = this.parser.parseInline(tokens);
      if (!HTTP_URL.test(href)) return inner;
      return `<a href="${escapeHtml(href)}">${inner}</a>`;
    },
    image({ text }) {
      return `<span class="image-alt">[${escapeHtml(text)}]</span>`;
    },
  },
});

/** Step 1 alone (exported for tests: each step must hold on its own). Never insert its output without step 2. */
export function markdownHtml(source: string): string {
  return marked.parse(source, { async: false });
}

/** The allow-list. Everything not named here is removed (tags keep their text content). */
export const NARRATIVE_TAGS = ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'kbd', 'em', 'strong', 'del', 's', 'sub', 'sup', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'] as const;
export const NARRATIVE_ATTRIBUTES = ['href', 'title', 'start', 'align', 'class'] as const;
const CLASSES = new Set(['image-alt']);

const CONFIG = {
  ALLOWED_TAGS: [...NARRATIVE_TAGS],
  ALLOWED_ATTR: [...NARRATIVE_ATTRIBUTES],
  ALLOWED_URI_REGEXP: HTTP_URL,
  // attributes whose value is never a URL (otherwise DOMPurify holds them to the URL pattern too)
  ADD_URI_SAFE_ATTR: ['align', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_TEMPLATES: false,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
  KEEP_CONTENT: true,
  // Named even though the allow-list already excludes them: a later edit of the list must not let them back.
  FORBID_TAGS: ['style', 'meta', 'link', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'img', 'video', 'audio', 'source', 'base', 'template', 'dialog', 'script', 'noscript'],
  FORBID_ATTR: ['style', 'id', 'name', 'target', 'popover', 'popovertarget', 'src', 'srcset', 'action', 'formaction', 'xlink:href'],
} satisfies Config;

export interface NarrativeRenderer {
  /** Sanitized HTML as a string (tests, and callers that need text). */
  toHtml(source: string): string;
  /** The same, as a fragment owned by `doc` (no second parse: what was sanitized is what gets inserted). */
  toFragment(source: string): DocumentFragment;
}

/** A renderer bound to `win` (the renderer's window, or a jsdom window in tests). */
export function createNarrativeRenderer(win: Window): NarrativeRenderer {
  const purify: DOMPurify = createDOMPurify(win as unknown as WindowLike);
  if (!purify.isSupported) throw new Error('DOMPurify cannot run in this environment; lesson narratives are not shown');
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    // the only class is the one step 1 writes; content cannot borrow the app's (or its own) class names
    if (data.attrName === 'class') data.keepAttr = data.attrValue.split(/\s+/).every((c) => CLASSES.has(c));
    if (data.attrName.startsWith('on')) data.keepAttr = false;
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href !== null && !HTTP_URL.test(href)) node.removeAttribute('href');
    if (node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
  });
  const html = markdownHtml;
  return {
    toHtml: (source) => purify.sanitize(html(source), CONFIG),
    toFragment: (source) => purify.sanitize(html(source), { ...CONFIG, RETURN_DOM_FRAGMENT: true }),
  };
}
