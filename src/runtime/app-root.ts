/**
 * The app's root folder: the runtime's files, node_modules and the lessons are found from it. A module of its own,
 * so a caller that needs only this (the CLI's run, in-process.ts) loads nothing else for it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// resolve() drops the trailing separator: the root goes into --allow-fs-read flags and path prefix checks.
export const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
