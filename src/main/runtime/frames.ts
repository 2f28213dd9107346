/**
 * The host → client stream: everything the host sends its client travels, in order, on one pipe (fd 4 of the
 * host process) as length-prefixed frames. Trace batches go as raw int32 bytes; the few other messages as JSON.
 * Node's IPC channel serializes every typed array through V8's serializer, which costs more CPU than the lesson
 * itself on a 2-core machine; a raw pipe is a memcpy. Client → host messages stay on the IPC channel.
 *
 * Frame: [kind u8, agent u8, runIdBytes u16, aBytes u32, bBytes u32] (12 bytes), runId, a, b.
 * kind 1: a = JSON of a HostToClient message, b empty. kind 2: a = the batch's int32 events (little-endian),
 * b = JSON of its string list.
 */
import type { HostToClient } from './protocol.ts';

const HEADER = 12;

export function encodeFrame(m: HostToClient): Buffer[] {
  const head = Buffer.alloc(HEADER);
  if (m.type === 'batch') {
    const runId = Buffer.from(m.runId);
    const ints = Buffer.from(m.ints.buffer, m.ints.byteOffset, m.ints.byteLength);
    const strings = Buffer.from(JSON.stringify(m.strings));
    head.writeUInt8(2, 0);
    head.writeUInt8(m.agent, 1);
    head.writeUInt16LE(runId.length, 2);
    head.writeUInt32LE(ints.length, 4);
    head.writeUInt32LE(strings.length, 8);
    return [head, runId, ints, strings];
  }
  const json = Buffer.from(JSON.stringify(m));
  head.writeUInt8(1, 0);
  head.writeUInt32LE(json.length, 4);
  return [head, json];
}

/** Reassembles frames from pipe chunks; calls `onMessage` for each complete one, in order. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly onMessage: (m: HostToClient) => void;

  constructor(onMessage: (m: HostToClient) => void) {
    this.onMessage = onMessage;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    while (this.pending.length - at >= HEADER) {
      const kind = this.pending.readUInt8(at);
      const runIdBytes = this.pending.readUInt16LE(at + 2);
      const aBytes = this.pending.readUInt32LE(at + 4);
      const bBytes = this.pending.readUInt32LE(at + 8);
      const end = at + HEADER + runIdBytes + aBytes + bBytes;
      if (this.pending.length < end) break;
      const body = at + HEADER + runIdBytes;
      if (kind === 1) {
        this.onMessage(JSON.parse(this.pending.toString('utf8', body, body + aBytes)) as HostToClient);
      } else if (kind === 2) {
        const ints = new Int32Array(aBytes / 4);
        new Uint8Array(ints.buffer).set(this.pending.subarray(body, body + aBytes));
        const strings = JSON.parse(this.pending.toString('utf8', body + aBytes, end)) as string[];
        const runId = this.pending.toString('utf8', at + HEADER, body);
        this.onMessage({ type: 'batch', runId, agent: this.pending.readUInt8(at + 1), ints, strings });
      } else {
        throw new Error(`the runtime host sent an unknown frame kind ${kind}`);
      }
      at = end;
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(at);
  }
}
