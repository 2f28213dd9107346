/**
 * The player's stylesheet (injected by index.ts, so the exported page needs nothing but its own script).
 * Colour-blind-safe palette from ARCHITECTURE.md (blue #0173B2, orange #DE8F05, teal #029E73, purple #CC78BC), always
 * paired with glyphs and labels; light and dark follow `prefers-color-scheme`; no animation, so reduced motion holds.
 */
export const PLAYER_CSS = `
:root {
  color-scheme: light dark;
  --bg: #fafafa; --panel: #ffffff; --fg: #1b1b1b; --muted: #5f6368; --line: #d9d9d9;
  --hl: #fff2cc; --hl-edge: #DE8F05; --accent: #0173B2; --err: #b3261e; --code-bg: #f4f4f4;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --mono: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --panel: #1f2227; --fg: #e6e6e6; --muted: #a0a4ab; --line: #3a3f47;
    --hl: #4a3b12; --hl-edge: #DE8F05; --accent: #56B4E9; --err: #ff8a80; --code-bg: #1a1c20;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { background: var(--bg); color: var(--fg); font: 14px/1.4 var(--font); }
#app { display: grid; grid-template-rows: auto auto auto auto 1fr; height: 100vh; }
header.top { display: flex; gap: 12px; align-items: baseline; padding: 8px 14px; border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 16px; margin: 0; }
header.top .summary { color: var(--muted); font-size: 13px; }
.controls { display: flex; gap: 6px; align-items: center; padding: 6px 14px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.controls button { font: inherit; min-width: 34px; padding: 3px 8px; border: 1px solid var(--line); border-radius: 4px;
  background: var(--panel); color: var(--fg); cursor: pointer; }
.controls button:focus-visible, .controls input:focus-visible, .tabs button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.controls input[type=range] { flex: 1; min-width: 160px; accent-color: var(--accent); }
.controls .step { font-variant-numeric: tabular-nums; min-width: 210px; text-align: right; color: var(--muted); }
.controls .hint { color: var(--muted); font-size: 12px; }
.strip { display: grid; grid-template-columns: auto 1fr; gap: 8px; padding: 12px 14px 6px; border-bottom: 1px solid var(--line); }
.strip:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.strip-names { display: flex; flex-direction: column; font-size: 11px; line-height: 1; color: var(--muted); }
.strip-plot { position: relative; cursor: pointer; touch-action: none; }
.strip-plot canvas { position: absolute; inset: 0; }
.strip-mark { position: absolute; top: -4px; bottom: -4px; width: 2px; margin-left: -1px; background: var(--hl-edge); }
.strip-mark::before { content: "⚑"; position: absolute; top: -13px; left: -3px; font-size: 10px; line-height: 1; color: var(--hl-edge); }
.strip-cursor { position: absolute; top: -3px; bottom: -3px; width: 3px; margin-left: -1px; background: var(--fg); border-radius: 1px; box-shadow: 0 0 0 1px var(--bg); }
.narration { padding: 8px 14px; border-bottom: 1px solid var(--line); background: var(--panel); min-height: 2.6em; }
.narration code { font-family: var(--mono); font-size: 13px; }
main { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr) minmax(0, 0.9fr); gap: 10px; padding: 10px 14px; min-height: 0; }
.handout { padding: 6px 14px 14px; border-top: 1px solid var(--line); }
.handout h2 { font-size: 14px; margin: 6px 0; }
.handout .checkpoints { margin: 0; padding-left: 1.2em; display: grid; gap: 6px; }
.handout .checkpoints p { margin: 2px 0 0; }
.handout .at { color: var(--muted); font-size: 12px; }
.handout .lesson-text { white-space: pre-wrap; font-family: inherit; font-size: 13px; max-height: 40vh; overflow: auto; }
@media (max-width: 900px) { #app { height: auto; } main { grid-template-columns: 1fr; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; display: flex; flex-direction: column; min-height: 0; overflow: hidden; }
.panel > h2 { font-size: 13px; margin: 0; padding: 6px 10px; border-bottom: 1px solid var(--line); text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.panel > .body { overflow: auto; padding: 6px 10px; flex: 1; min-height: 0; }
/* the panels scroll, so keyboard users can focus them (Tab) and scroll with the arrow keys' neighbours, PageUp/PageDown */
.panel > .body:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.tabs { display: flex; gap: 2px; padding: 4px 6px 0; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.tabs button { font: 12px var(--mono); border: 1px solid var(--line); border-bottom: none; border-radius: 4px 4px 0 0; padding: 3px 8px;
  background: transparent; color: var(--muted); cursor: pointer; }
.tabs button[aria-selected=true] { background: var(--code-bg); color: var(--fg); font-weight: 600; }
.code { font: 13px/1.5 var(--mono); margin: 0; background: var(--code-bg); padding: 4px 0; min-width: max-content; }
.code .ln { display: block; white-space: pre; padding-right: 10px; border-left: 3px solid transparent; }
.code .ln::before { content: attr(data-n); display: inline-block; width: 3.5em; padding-right: 1em; text-align: right; color: var(--muted); }
.code .ln.current { background: var(--hl); border-left-color: var(--hl-edge); }
.code .ln.current::before { content: "▶ " attr(data-n); color: var(--fg); font-weight: 700; }
.agent { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin-bottom: 8px; }
.agent .head { display: flex; justify-content: space-between; gap: 8px; align-items: flex-start; }
.ring { flex: none; color: var(--fg); }
.ring .seg { font-size: 8px; fill: var(--fg); font-weight: 700; }
.ring .seg.on { font-size: 10px; fill: #fff; }
.ring .name { font-size: 11px; fill: var(--muted); }
.ring .name.on { fill: var(--fg); font-weight: 700; text-decoration: underline; }
.ring .centre { font-size: 10px; fill: var(--fg); font-weight: 600; }
.ring .centre-glyph { font-size: 12px; fill: var(--muted); }
.agent h3 { font-size: 14px; margin: 0 0 4px; display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.agent .phase { font-weight: 400; font-size: 12px; padding: 1px 6px; border-radius: 10px; border: 1px solid; }
.agent .task { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
.agent h4 { margin: 6px 0 2px; font-size: 12px; color: var(--muted); font-weight: 600; }
.agent ol, .agent ul { margin: 0; padding: 0; list-style: none; }
.stack li { font: 13px var(--mono); padding: 2px 6px; border: 1px solid var(--line); border-left: 4px solid #0173B2; margin-bottom: 2px; border-radius: 3px; }
.stack li.host { border-left-color: #949494; font-style: italic; }
.stack li:first-child { font-weight: 700; }
.empty { color: var(--muted); font-size: 12px; font-style: italic; }
.queue { display: grid; grid-template-columns: 9.5em 1fr; gap: 4px; align-items: start; margin-bottom: 2px; }
.queue .qname { font-size: 12px; white-space: nowrap; }
.queue .glyph { display: inline-block; width: 1.2em; }
.queue ol { display: flex; flex-wrap: wrap; gap: 3px; }
.queue li, .timers li, .parked li { font: 12px var(--mono); padding: 1px 6px; border-radius: 3px; border: 1px solid var(--line); border-left-width: 4px; }
.queue .none { color: var(--muted); font-size: 12px; }
.console { font: 13px/1.45 var(--mono); white-space: pre-wrap; word-break: break-word; margin: 0; }
.console .err { color: var(--err); }
.end { margin-top: 8px; font-size: 12px; color: var(--muted); border-top: 1px dashed var(--line); padding-top: 4px; }
.end.failed { color: var(--err); }
.fatal { padding: 20px; color: var(--err); font-family: var(--mono); white-space: pre-wrap; }
`;
