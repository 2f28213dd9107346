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

/**
 * Reassembles frames from pipe chunks; calls `onMessage` for each complete one, in order. Chunks are only joined
 * once a whole frame has arrived, so a large batch is copied once, not once per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes the frame at the head of `chunks` needs, once its header is known. */
  private need = HEADER;
  private readonly onMessage: (m: HostToClient) => void;

  constructor(onMessage: (m: HostToClient) => void) {
    this.onMessage = onMessage;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= this.need) {
      const head = this.take(HEADER, false);
      const total = HEADER + head.readUInt16LE(2) + head.readUInt32LE(4) + head.readUInt32LE(8);
      if (this.buffered < total) {
        this.need = total;
        return;
      }
      this.decode(this.take(total, true));
      this.need = HEADER;
    }
  }

  /** The first `n` buffered bytes as one Buffer; consumed when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    if (this.chunks[0]!.length < n) {
      const joined = Buffer.concat(this.chunks);
      this.chunks = [joined];
    }
    const first = this.chunks[0]!;
    const out = first.subarray(0, n);
    if (consume) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
    }
    return out;
  }

  private decode(frame: Buffer): void {
    const kind = frame.readUInt8(0);
    const runIdBytes = frame.readUInt16LE(2);
    const aBytes = frame.readUInt32LE(4);
    const body = HEADER + runIdBytes;
    if (kind === 1) {
      this.onMessage(JSON.parse(frame.toString('utf8', body, body + aBytes)) as HostToClient);
    } else if (kind === 2) {
      const ints = new Int32Array(aBytes / 4);
      new Uint8Array(ints.buffer).set(frame.subarray(body, body + aBytes));
      const strings = JSON.parse(frame.toString('utf8', body + aBytes)) as string[];
      this.onMessage({ type: 'batch', runId: frame.toString('utf8', HEADER, body), agent: frame.readUInt8(1), ints, strings });
    } else {
      throw new Error(`the runtime host sent an unknown frame kind ${kind}`);
    }
  }
}
