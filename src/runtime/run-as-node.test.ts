/**
 * Under Electron, the runtime host and every run process are the app's own binary running as Node
 * (ELECTRON_RUN_AS_NODE=1): the binary cannot run here, so the spawn commands and environments are checked with
 * stand-ins for fork, spawn and the OS layer. The environment stays empty but for that one variable.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from './app-root.ts';
import { startRuntimeHost } from './host-client.ts';
import { RunProcess, runProcessFlags } from './launcher.ts';
import type { WrapSpec, Wrapped } from './sandbox-seam.ts';

const runsDir = mkdtempSync(join(tmpdir(), 'loopscope-run-as-node-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

/** A child process stand-in: the pipes a run process or the host has, and `exit` when killed or told to shut down. */
function fakeChild() {
  const child = Object.assign(new EventEmitter(), {
    pid: 4242, exitCode: null as number | null, signalCode: null as string | null, connected: true,
    stdout: new PassThrough(), stderr: new PassThrough(),
    stdio: [null, null, null, new PassThrough(), new PassThrough()] as unknown[],
    kill() { child.exitCode = 0; child.emit('exit', null, 'SIGKILL'); return true; },
    send(m: { type?: string }) { if (m.type === 'shutdown') queueMicrotask(() => { child.exitCode = 0; child.emit('exit', 0, null); }); return true; },
  });
  child.stdio[1] = child.stdout;
  child.stdio[2] = child.stderr;
  return child;
}

describe('run processes under Electron (launcher.ts runAsNode)', () => {
  const electron = '/opt/Loopscope/loopscope';
  function launch(runAsNode: boolean, execPath?: string) {
    const seen: { spec?: WrapSpec; command?: string; args?: readonly string[]; options?: Record<string, unknown> } = {};
    const wrap = (spec: WrapSpec): Wrapped => {
      seen.spec = spec;
      return { command: '/usr/bin/bwrap', args: ['--', spec.command, ...spec.args], layers: ['os-sandbox: bubblewrap (stand-in)'] };
    };
    const spawn = ((command: string, args: readonly string[], options: Record<string, unknown>) => {
      Object.assign(seen, { command, args, options });
      return fakeChild();
    }) as unknown as typeof import('node:child_process').spawn;
    const proc = new RunProcess({ appRoot: APP_ROOT, runsDir, heapMb: 256, memoryMb: 768, runAsNode, spawn, wrap, ...(execPath ? { execPath } : {}) });
    proc.dispose();
    return { proc, seen };
  }

  it('runs the app binary with ELECTRON_RUN_AS_NODE=1 as the only variable, inside the OS layer', () => {
    const { proc, seen } = launch(true, electron);
    expect(seen.spec!.command).toBe(electron);
    expect(seen.spec!.env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
    // Electron's ICU data and V8 snapshot sit beside its binary: the folder is bound read-only, with the app.
    expect(seen.spec!.readOnlyPaths).toEqual([dirname(electron), APP_ROOT]);
    expect(seen.spec!.args.slice(0, -1)).toEqual(runProcessFlags(APP_ROOT, proc.runDir, 256));
    expect(seen.command).toBe('/usr/bin/bwrap');
    expect(seen.args).toEqual(['--', electron, ...seen.spec!.args]);
    expect(seen.options).toMatchObject({ cwd: proc.runDir, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] });
    expect(seen.options!.env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
    expect(proc.layers.at(-1)).toBe('empty environment (but ELECTRON_RUN_AS_NODE)');
  });

  it('under plain node: its own binary and an environment with nothing in it', () => {
    const { seen } = launch(false);
    expect(seen.spec!.command).toBe(process.execPath);
    expect(seen.spec!.env).toEqual({});
    expect(seen.spec!.readOnlyPaths).toEqual([process.execPath, APP_ROOT]);
    expect(seen.options!.env).toEqual({});
  });
});

describe('the runtime host under Electron (host-client.ts runAsNode)', () => {
  it('forks the host with ELECTRON_RUN_AS_NODE=1 and only its own settings; the host passes it on to run processes', async () => {
    const calls: { module: string; options: { env?: Record<string, string>; execPath?: string } }[] = [];
    const fork = ((module: string, _args: readonly string[], options: { env?: Record<string, string> }) => {
      calls.push({ module, options });
      return fakeChild();
    }) as unknown as typeof import('node:child_process').fork;
    const runtime = startRuntimeHost({ runAsNode: true, fork });
    await runtime.dispose();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.module).toMatch(/src[\\/]runtime[\\/]host\.ts$/);
    // No execPath: Electron's fork picks its helper binary on macOS, the app binary elsewhere.
    expect('execPath' in calls[0]!.options).toBe(false);
    const env = calls[0]!.options.env!;
    expect(Object.keys(env).sort()).toEqual(['ELECTRON_RUN_AS_NODE', 'LOOPSCOPE_APP_ROOT', 'LOOPSCOPE_RUNS_DIR']);
    expect(env.ELECTRON_RUN_AS_NODE).toBe('1');
  });
});
