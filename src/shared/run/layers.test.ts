import { describe, expect, it } from 'vitest';
import { describeLayers } from './layers.ts';

const LINUX = [
  'os-sandbox: bubblewrap (no network; new pid/ipc/uts/user namespaces; only node, its libraries, read-only paths and the run folder; private /tmp; no capabilities, no new privileges)',
  'limits: rlimits nproc=128 (not enforced for root) data=68719476736 fsize=67108864 nofile=256 core=0',
  'limits: cgroup v1 pids.max=128 memory.limit_in_bytes=805306368',
  'node permission model', 'limits', 'empty environment',
];

describe('describeLayers', () => {
  it('summarises the active layers of a Linux run and explains each', () => {
    const v = describeLayers(LINUX);
    expect(v.summary).toBe('bubblewrap · permission model · limits · empty environment');
    expect(v.osSandbox).toBe(true);
    expect(v.layers.map((l) => [l.name, l.active])).toEqual([
      ['bubblewrap', true], ['rlimits', true], ['cgroup', true], ['permission model', true], ['limits', true], ['empty environment', true],
    ]);
    expect(v.layers[0]!.detail).toMatch(/^OS sandbox \(bubblewrap\): no network;/);
  });

  it('says why a layer is missing and what that means', () => {
    const v = describeLayers(['os-sandbox: unavailable (bwrap not found)', 'limits: cgroup unavailable (EACCES creating a cgroup (/sys/fs/cgroup))', 'node permission model', 'limits', 'empty environment']);
    expect(v.osSandbox).toBe(false);
    expect(v.summary).toBe('no OS sandbox · permission model · limits · empty environment');
    expect(v.layers[0]).toEqual({ name: 'OS sandbox', active: false, detail: 'bubblewrap not installed: runs are not OS-sandboxed (install the bubblewrap package).' });
    expect(v.layers[1]).toMatchObject({ name: 'cgroup', active: false, detail: 'No cgroup: EACCES creating a cgroup (/sys/fs/cgroup).' });
    const win = describeLayers(['os-sandbox: unavailable (Windows has no OS layer: a Job object needs native code that plain Node cannot reach)']);
    expect(win.layers[0]!.detail).toBe('No OS sandbox: Windows has no OS layer: a Job object needs native code that plain Node cannot reach. Runs are not OS-sandboxed; only the layers below hold.');
  });

  it('shows nothing for a run without layers (a trace from before they were reported) and ignores junk', () => {
    expect(describeLayers(undefined)).toEqual({ layers: [], summary: 'no OS sandbox', osSandbox: false });
    expect(describeLayers(['', 42 as unknown as string]).layers).toEqual([]);
  });
});
