/**
 * This user's cache folder for Loopscope (never a shared one): Node's compile cache for the CLI (bin/loopscope.mjs)
 * and the OS layer's remembered probe answer (os-sandbox/verdict.ts) live in it. Whoever can write it chooses the code
 * the CLI runs. Plain JavaScript: bin/loopscope.mjs imports it before anything else.
 */
const { join } = process.getBuiltinModule('node:path');

/** `$XDG_CACHE_HOME/loopscope` (~/.cache/loopscope), ~/Library/Caches/loopscope on macOS, %LOCALAPPDATA%\loopscope. */
export function userCacheDir() {
  const { homedir } = process.getBuiltinModule('node:os');
  const base = process.platform === 'win32' ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
    : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : (process.env.XDG_CACHE_HOME || join(homedir(), '.cache'));
  return join(base, 'loopscope');
}
