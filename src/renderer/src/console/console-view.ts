/**
 * The console widget: a plain class owning one xterm terminal. Shows a run's stdout and stderr as Node prints
 * them (ANSI colours honoured; stderr in red unless it brings its own colours) and notes from the app (run
 * started, how it ended) in a dim style. Created by ConsolePane in one $effect and disposed in its cleanup.
 * Lesson output passes terminalSafe first: colours only, every other escape sequence shown as text.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { hasSgr, terminalSafe } from './terminal-safe.ts';

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

const LIGHT: ITheme = { background: '#ffffff', foreground: '#1f2328', cursor: '#ffffff', selectionBackground: '#b6d7ff', red: '#c62828', brightBlack: '#6e7781' };
const DARK: ITheme = { background: '#1e1e1e', foreground: '#d4d4d4', cursor: '#1e1e1e', selectionBackground: '#264f78', red: '#f48771', brightBlack: '#8b949e' };

/** Terminals need CRLF; lesson output uses LF. */
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

export class ConsoleView {
  readonly #term: Terminal;
  readonly #fit = new FitAddon();
  readonly #resize: ResizeObserver;
  /** Plain text of everything written (tests and copy-all read it). */
  #plain = '';

  constructor(host: HTMLElement, options: { dark: boolean; fontSizePx: number }) {
    this.#term = new Terminal({
      convertEol: false,
      disableStdin: true,
      cursorBlink: false,
      cursorStyle: 'bar',
      cursorInactiveStyle: 'none',
      fontSize: options.fontSizePx,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      scrollback: 10_000,
      theme: options.dark ? DARK : LIGHT,
    });
    this.#term.loadAddon(this.#fit);
    this.#term.open(host);
    this.#resize = new ResizeObserver(() => this.fit());
    this.#resize.observe(host);
    this.fit();
  }

  /** One Console event: stream 0/1 a console call's line (newline added), 2/3 a raw write. */
  write(stream: number, text: string): void {
    const line = stream === 0 || stream === 1 ? `${text}\n` : text;
    this.#plain += line;
    const isErr = stream === 1 || stream === 3;
    const safe = terminalSafe(line);
    this.#term.write(isErr && !hasSgr(safe) ? `${RED}${crlf(safe)}${RESET}` : crlf(safe));
  }

  /** An app note on its own line (start, end reason). */
  note(text: string, tone: 'dim' | 'error' = 'dim'): void {
    this.#ensureLineStart();
    const line = `${text}\n`;
    this.#plain += line;
    this.#term.write(`${tone === 'error' ? RED : DIM}${crlf(line)}${RESET}`);
  }

  clear(): void {
    this.#plain = '';
    this.#term.reset();
  }

  get text(): string {
    return this.#plain;
  }

  setTheme(dark: boolean): void {
    this.#term.options.theme = dark ? DARK : LIGHT;
  }

  setFontSize(px: number): void {
    this.#term.options.fontSize = px;
    this.fit();
  }

  fit(): void {
    try {
      this.#fit.fit();
    } catch {
      // not visible yet (zero size); the ResizeObserver fits it once it is
    }
  }

  dispose(): void {
    this.#resize.disconnect();
    this.#term.dispose();
  }

  #ensureLineStart(): void {
    if (this.#plain && !this.#plain.endsWith('\n')) {
      this.#plain += '\n';
      this.#term.write('\r\n');
    }
  }
}
