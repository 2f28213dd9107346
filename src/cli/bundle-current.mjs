/**
 * Whether the CLI bundle (cli-bundle.ts builds it) is current for the sources on disk: the check bin/loopscope.mjs
 * makes before every command (runtime/build-snapshot.mjs says how, and why it costs next to nothing).
 */
import { currentBuild } from '../runtime/build-snapshot.mjs';

const { join } = process.getBuiltinModule('node:path');

/** Where the bundle lives, relative to the app root. Git ignores it. */
export const CLI_BUNDLE_DIR = join('src', 'cli', 'built');
export const ENTRY_FILE = 'main.mjs';

/**
 * The bundle's entry (main.mjs) when it is current for the sources on disk, else null (missing, stale, unreadable).
 * @param {string} appRoot
 * @returns {string | null}
 */
export function currentCliBundle(appRoot) {
  return currentBuild(appRoot, CLI_BUNDLE_DIR) ? join(appRoot, CLI_BUNDLE_DIR, ENTRY_FILE) : null;
}
