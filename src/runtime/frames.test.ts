import { describe, expect, it } from 'vitest';
import { FrameReader, encodeFrame } from './frames.ts';
import type { HostToClient } from './protocol.ts';

describe('the host → client frame stream', () => {
  const messages: HostToClient[] = [
    { type: 'ready', pid: 42 },
    { type: 'batch', runId: 'run-1', agent: 3, ints: Int32Array.from([5, 31, 1, 6, 1, 18, 0, 0]), strings: ['héllo </script> ✓', ''] },
    { type: 'batch', runId: 'run-1', agent: 0, ints: new Int32Array(70_000).map((_, i) => i - 35_000), strings: [] },
    { type: 'end', runId: 'run-1', end: { reason: 0, message: 'done', exitCode: 0, events: 3, durationMs: 1 } },
  ];

  it('delivers every message intact and in order, however the pipe splits the bytes', () => {
    const bytes = Buffer.concat(messages.flatMap((m) => encodeFrame(m)));
    for (const chunk of [1, 7, 12, 4096, 65_536, bytes.length]) {
      const got: HostToClient[] = [];
      const reader = new FrameReader((m) => got.push(m));
      for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
      expect(got).toEqual(messages);
    }
  });

  it('refuses a frame of an unknown kind', () => {
    const reader = new FrameReader(() => {});
    const bad = Buffer.alloc(12);
    bad.writeUInt8(9, 0);
    expect(() => reader.push(bad)).toThrow(/unknown frame kind 9/);
  });
});
