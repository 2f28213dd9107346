/**
 * The CSP refuses <style> elements without the page's nonce (src/main/security/csp.ts), so lesson content that
 * slipped a <style> past the sanitizer still could not restyle the app. The app's own code does create style
 * elements at run time (Monaco's themes and dynamic rules, xterm's glyph metrics); this stamps the nonce on every
 * <style> created through `document.createElement`, which is how scripts make them. The HTML parser — the way
 * markup from content would arrive — does not go through createElement, so its elements stay without a nonce.
 *
 * Imported first by main.ts, before anything that creates style elements.
 */
const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
// Chromium hides nonce attributes from the DOM once applied; the property keeps the value.
const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';

if (nonce && !nonce.startsWith('__')) {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
    const el = create.call(this, tagName, options);
    if (el instanceof HTMLStyleElement) el.nonce = nonce;
    return el;
  } as typeof Document.prototype.createElement;
}

export {};
