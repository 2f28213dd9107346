/**
 * The standalone HTML player's script: src/html-player/index.ts and what it imports from src/shared, bundled into one
 * minified IIFE string in memory (nothing written), for `toHtmlPlayer` (src/shared/export/html.ts).
 *
 * Bundler: rolldown, the bundler Vite 8 itself runs on (the brief named esbuild, but Vite 8 no longer installs it);
 * it strips TypeScript itself. The result is cached per process: the first call costs ~150 ms, later calls nothing.
 * The source is found next to this file (src/services/export → src/html-player) or, from the desktop build (out/main),
 * in the source tree beside it. rolldown is imported at run time by a specifier the desktop build cannot follow,
 * so electron-vite does not try to bundle the bundler (a native addon) into main.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toHtmlPlayer } from '../../shared/export/html.ts';

const BUNDLER: string = 'rolldown';

const CANDIDATES = ['../../html-player/index.ts', '../../src/html-player/index.ts'];

let cached: Promise<string> | null = null;

/** Where the player's entry is, or throws a clear Error. */
export function playerEntry(): string {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('The HTML player source (src/html-player/index.ts) was not found next to this Loopscope.');
}

/** The bundled player script (cached per process; a failed build is not cached). */
export function playerBundle(): Promise<string> {
  cached ??= bundle().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** The standalone player page for a serialized trace (`serializeTrace` text). */
export async function htmlPlayerPage(traceFileText: string, title: string, handoutJson?: string): Promise<string> {
  return toHtmlPlayer(traceFileText, await playerBundle(), title, handoutJson);
}

/**
 * The player's stylesheet as the bundle carries it: whitespace collapsed, none around `{ } : ; , >` (the script is
 * minified; its CSS, a template literal in html-player/style.ts, is not by the bundler). Quoted text keeps its spaces.
 */
export function compactCss(css: string): string {
  return css.split(/("[^"]*")/).map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, ' ').replace(/ ?([{}:;,>]) ?/g, '$1').replace(/;}/g, '}'))).join('').trim();
}

async function bundle(): Promise<string> {
  const { build } = (await import(/* @vite-ignore */ BUNDLER)) as typeof import('rolldown');
  const out = await build({
    input: playerEntry(),
    platform: 'browser',
    logLevel: 'silent',
    write: false,
    plugins: [{
      name: 'loopscope-player-css',
      transform(code: string, id: string) {
        if (!/html-player[\\/]style\.ts$/.test(id)) return null;
        return code.replace(/(PLAYER_CSS = )`([^`]*)`/, (_m, head: string, css: string) => `${head}\`${compactCss(css)}\``);
      },
    }],
    output: { format: 'iife', minify: true, comments: false, sourcemap: false },
  });
  const chunk = out.output.find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk || chunk.type !== 'chunk') throw new Error('bundling the HTML player produced no script');
  return chunk.code;
}
