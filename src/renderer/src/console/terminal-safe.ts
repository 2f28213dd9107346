/**
 * Lesson output goes to an xterm terminal, and terminals obey escape sequences: a lesson could move the cursor
 * over earlier lines (rewriting what the run printed), clear the screen, set the window title, or send OSC
 * sequences (hyperlinks that hide their target, clipboard writes with OSC 52). The app's console honours colours
 * and nothing else: `terminalSafe` keeps SGR sequences (`ESC [ … m`, minus "conceal", which hides text) and shows
 * every other control character visibly — ESC as ␛, BEL as ␇, a lone CR as ␍, C1 controls as ⟨U+009B⟩ — so the
 * rest of a sequence prints as plain text. Newlines and tabs pass. The CLI is untouched: it writes the lesson's
 * bytes exactly as node would.
 */

// SGR: CSI, numeric parameters (; or : separated), final 'm'. Anything else introduced by ESC is not kept.
// eslint-disable-next-line no-control-regex -- escape sequences are what this reads
const SEQUENCE = /\x1b\[([0-9;:]*)m|\r\n|[\x00-\x08\x0b-\x1f\x7f]|[\x80-\x9f]/g;

const PICTURES: Readonly<Record<string, string>> = { '\x1b': '␛', '\x07': '␇', '\x08': '␈', '\r': '␍', '\x0c': '␌', '\x0b': '␋', '\x00': '␀', '\x7f': '␡' };

/** Drops "conceal" (8) from an SGR parameter list; colour sub-parameters (38/48/58;5;n and ;2;r;g;b) stay intact. */
function sgr(params: string): string {
  if (params === '' || params.includes(':')) return `\x1b[${params}m`; // a reset; colon sub-parameters carry no conceal
  const parts = params.split(';');
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '38' || p === '48' || p === '58') {
      const take = parts[i + 1] === '5' ? 3 : parts[i + 1] === '2' ? 5 : 1;
      kept.push(...parts.slice(i, i + take));
      i += take - 1;
    } else if (Number(p) !== 8) kept.push(p);
  }
  return kept.length === 0 ? '' : `\x1b[${kept.join(';')}m`;
}

export function terminalSafe(text: string): string {
  return text.replace(SEQUENCE, (match, params: string | undefined) => {
    if (params !== undefined) return sgr(params);
    if (match === '\r\n') return '\n';
    const picture = PICTURES[match];
    if (picture) return picture;
    const code = match.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code); // Unicode control pictures ␁…␟
    return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

/** True when `text` (already made safe) sets its own colours. */
export const hasSgr = (text: string): boolean => text.includes('\x1b[');
