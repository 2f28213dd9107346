/**
 * The standalone HTML player: one self-contained .html file that embeds a trace in the own format
 * (src/shared/trace/file.ts) and the player script (src/html-player/, bundled to one IIFE by
 * src/services/export/player-bundle.ts), so anyone can scrub the run in any browser, offline.
 *
 * Invariants:
 * - Nothing is fetched: a Content-Security-Policy meta forbids every network source; only the inline script and
 *   style in the file may run (`default-src 'none'`).
 * - The trace is embedded as the text of `<script type="application/json" id="loopscope-trace">`. Its JSON has
 *   every `<`, `>` and `&` written as `\u003c` / `\u003e` / `\u0026` (these only occur inside JSON strings, where
 *   the escape means the same character), so no text in a trace — a console line `</script>`, a file with
 *   `<!--` — can end the element early: the element's text parses back to exactly the same value.
 * - The player script may not end its element or open an HTML comment either: `</script` and `<!--` become
 *   `\x3C/script` and `\x3C!--`, which mean the same inside the string, template and regex literals and comments
 *   where a bundler's output can hold them.
 * - The title is HTML-escaped.
 */

export const TRACE_ELEMENT_ID = 'loopscope-trace';
/** The optional handout (src/shared/export/handout.ts): lesson text and checkpoints, embedded the same safe way. */
export const HANDOUT_ELEMENT_ID = 'loopscope-handout';

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON text that is safe as the content of a `<script>` element (same value once parsed). */
export function jsonForScript(jsonText: string): string {
  return jsonText.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JavaScript that is safe as the content of a classic `<script>` element. */
export function jsForScript(js: string): string {
  return js.replace(/<(?=\/script|!--)/gi, '\\x3C');
}

/**
 * The player page. `traceFileText` is a serialized trace (`serializeTrace`); `playerJs` the bundled player;
 * `title` plain text (shown as the page title and heading).
 */
export function toHtmlPlayer(traceFileText: string, playerJs: string, title: string, handoutJson?: string): string {
  const t = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Loopscope">
<title>${t}</title>
</head>
<body>
<div id="app" data-title="${t}"><noscript>This Loopscope trace player needs JavaScript.</noscript></div>
<script type="application/json" id="${TRACE_ELEMENT_ID}">${jsonForScript(traceFileText)}</script>
${handoutJson === undefined ? '' : `<script type="application/json" id="${HANDOUT_ELEMENT_ID}">${jsonForScript(handoutJson)}</script>\n`}<script>${jsForScript(playerJs)}</script>
</body>
</html>
`;
}
