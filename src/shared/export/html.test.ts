// @vitest-environment jsdom
/**
 * The standalone HTML player page as a browser's HTML parser sees it (jsdom's spec-compliant parser): whatever a
 * trace or the player script holds, the page has exactly its two scripts, the embedded trace parses back to the
 * same trace, nothing is loaded from the network, and the title is text.
 */
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../trace/builder.ts';
import { consoleText } from '../trace/console.ts';
import { parseTrace, serializeTrace } from '../trace/file.ts';
import { EventKind as K, Phase, TaskKind as T } from '../trace/schema.ts';
import { batch, COMPLETED, testHeader, withClock } from '../trace/test-support.ts';
import { escapeHtml, jsForScript, jsonForScript, toHtmlPlayer, TRACE_ELEMENT_ID } from './html.ts';

/** Every way a string can try to leave a <script> element or confuse the HTML parser. */
const NASTY = ['</script><script>alert(1)</script>', '</SCRIPT >', '<!-- <script>', '&lt;not an entity&gt;', 'line\u2028sep\u2029', '"quotes" \\ back\\slash', 'ünï ✓ 🎉'];

// jsdom in this file's environment; the node tsconfig has no DOM types, so the few calls used are typed here.
interface El { textContent: string | null; getAttribute(name: string): string | null }
interface Doc { title: string; querySelectorAll(sel: string): ArrayLike<El> & Iterable<El>; getElementById(id: string): El | null; body: El }
const parseHtml = (html: string): Doc => new (globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): Doc } }).DOMParser().parseFromString(html, 'text/html');

function nastyTrace(): string {
  const b = new TraceBuilder({ ...testHeader(), files: [{ path: 'main.ts', text: `// ${NASTY.join('\n// ')}\nconsole.log('</script>');\n` }] });
  b.append(batch(0, withClock([
    [K.AgentStart, 0, -1, 'main', 'main.ts'],
    [K.TaskSchedule, 1, T.Script, 0, -1, 0], [K.TaskStart, 1, Phase.Main],
    ...NASTY.map((s) => [K.Console, 0, s] as const),
    [K.TaskEnd, 1, 0],
  ])));
  return serializeTrace(b.finish({ ...COMPLETED, message: '</script> done' }));
}

describe('standalone HTML player page', () => {
  it('embeds the trace so that the HTML parser hands back exactly the same trace, whatever its text holds', () => {
    const text = nastyTrace();
    const doc = parseHtml(toHtmlPlayer(text, 'window.ok = 1;', 'Order'));
    const scripts = [...doc.querySelectorAll('script')];
    expect(scripts).toHaveLength(2);
    const embedded = doc.getElementById(TRACE_ELEMENT_ID)!;
    expect(embedded.getAttribute('type')).toBe('application/json');
    expect(JSON.parse(embedded.textContent!)).toEqual(JSON.parse(text));
    const trace = parseTrace(embedded.textContent!);
    expect(consoleText(trace).stdout).toBe(NASTY.map((s) => `${s}\n`).join(''));
    expect(trace.header.files[0]!.text).toContain("console.log('</script>');");
    expect(trace.end?.message).toBe('</script> done');
  });

  it('keeps the player script whole even when it holds </script> or <!-- in strings, templates and regexes', () => {
    const js = "window.r = ['</script>', `<!-- ${'x'} </ScRiPt>`, /<\\/script>/.source, /<!--/.test('<!--')];";
    const doc = parseHtml(toHtmlPlayer('{}', js, 't'));
    const scripts = [...doc.querySelectorAll('script')];
    expect(scripts).toHaveLength(2);
    const code = scripts[1]!.textContent!;
    expect(code).toBe(jsForScript(js));
    // same meaning: evaluating both gives the same values
    const run = (src: string): unknown => new Function('window', `${src}; return window.r;`)({});
    expect(run(code)).toEqual(run(js));
    expect(run(code)).toEqual(['</script>', '<!-- x </ScRiPt>', '<\\/script>', true]);
  });

  it('escapes the title and fetches nothing: a CSP that forbids every network source, no src or href', () => {
    const html = toHtmlPlayer('{}', '', 'A <b>"bold"</b> & \'quoted\' lesson</title><script>');
    const doc = parseHtml(html);
    expect(doc.title).toBe('A <b>"bold"</b> & \'quoted\' lesson</title><script>');
    expect(doc.querySelectorAll('script')).toHaveLength(2);
    expect(doc.querySelectorAll('b')).toHaveLength(0);
    const csp = doc.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')[0]!.getAttribute('content')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/https?:|\*/);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('jsonForScript and escapeHtml write only safe characters and keep the value', () => {
    const json = JSON.stringify({ s: NASTY });
    const safe = jsonForScript(json);
    expect(safe).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(safe)).toEqual({ s: NASTY });
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
