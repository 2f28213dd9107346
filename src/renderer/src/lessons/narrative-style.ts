/**
 * The narrative's own style sheet, adopted by its shadow root (a constructed sheet: no <style> element, so the
 * CSP can refuse every style element that lacks the page's nonce). Colours come from the app's CSS variables,
 * which inherit into the shadow tree.
 */
const CSS = `
.narrative { padding: 4px 12px 12px; line-height: 1.5; font-size: 0.9rem; overflow-wrap: anywhere; color: var(--fg); }
h1 { font-size: 1.15rem; }
h2 { font-size: 1rem; }
code, kbd { font-family: ui-monospace, monospace; font-size: 0.85em; background: var(--bg-2); padding: 0 3px; border-radius: 3px; }
pre { background: var(--bg-2); padding: 8px; overflow: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
a { color: var(--accent); }
a:not([href]) { color: inherit; text-decoration: none; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--border); padding: 2px 6px; }
blockquote { margin: 6px 0; padding-left: 10px; border-left: 3px solid var(--border); color: var(--fg-2); }
.image-alt { color: var(--fg-2); }
`;

let sheet: CSSStyleSheet | null = null;

export function narrativeStyleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
