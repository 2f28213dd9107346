/**
 * Lesson narratives (README.md) to HTML for display. Lessons may come from any folder the learner opens, so raw
 * HTML in the Markdown is shown as text, and links keep only http(s), in-page and relative targets; images are
 * not loaded (the renderer fetches nothing from the network) and show their alt text.
 */
import { Marked } from 'marked';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const inner = this.parser.parseInline(tokens);
      if (!/^(?:https?:\/\/|#)/i.test(href)) return inner;
      return `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    image({ text }) {
      return `<span class="image-alt">[${escapeHtml(text)}]</span>`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
