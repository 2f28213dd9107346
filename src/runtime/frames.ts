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

/** A frame whose header was read: its body's three parts (runId, a, b) fill as bytes arrive. */
interface PendingFrame {
  readonly kind: number;
  readonly agent: number;
  readonly parts: readonly [Uint8Array, Uint8Array, Uint8Array];
  /** For a batch: the ints, whose bytes are part a. */
  readonly ints: Int32Array | null;
  /** Body bytes received, of `size`. */
  at: number;
  readonly size: number;
}

/**
 * Reassembles frames from pipe chunks; calls `onMessage` for each complete one, in order. Each byte is copied
 * once, straight into its destination: a batch's ints land in the Int32Array the message carries.
 */
export class FrameReader {
  private readonly onMessage: (m: HostToClient) => void;
  private readonly head = Buffer.alloc(HEADER);
  private headAt = 0;
  /** The frame being read, once its header is complete. */
  private frame: PendingFrame | null = null;

  constructor(onMessage: (m: HostToClient) => void) {
    this.onMessage = onMessage;
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (!this.frame) {
        const n = Math.min(HEADER - this.headAt, chunk.length - at);
        chunk.copy(this.head, this.headAt, at, at + n);
        this.headAt += n;
        at += n;
        if (this.headAt < HEADER) return;
        this.frame = this.begin();
        this.headAt = 0;
      }
      const f = this.frame;
      at += this.fill(f, chunk, at);
      if (f.at === f.size) {
        this.frame = null;
        this.decode(f);
      }
    }
  }

  private begin(): PendingFrame {
    const kind = this.head.readUInt8(0);
    if (kind !== 1 && kind !== 2) throw new Error(`the runtime host sent an unknown frame kind ${kind}`);
    const runIdBytes = this.head.readUInt16LE(2);
    const aBytes = this.head.readUInt32LE(4);
    const bBytes = this.head.readUInt32LE(8);
    if (kind === 2 && aBytes % 4 !== 0) throw new Error(`the runtime host sent a batch of ${aBytes} bytes, not whole int32s`);
    const ints = kind === 2 ? new Int32Array(aBytes / 4) : null;
    const a = ints ? new Uint8Array(ints.buffer) : Buffer.alloc(aBytes);
    return { kind, agent: this.head.readUInt8(1), parts: [Buffer.alloc(runIdBytes), a, Buffer.alloc(bBytes)], ints, at: 0, size: runIdBytes + aBytes + bBytes };
  }

  /** Copies what `chunk` (from `from`) holds of the frame's body into its parts; returns the bytes taken. */
  private fill(f: PendingFrame, chunk: Buffer, from: number): number {
    let taken = 0;
    let partStart = 0;
    for (const part of f.parts) {
      const partEnd = partStart + part.length;
      if (f.at < partEnd && from + taken < chunk.length) {
        const n = Math.min(partEnd - f.at, chunk.length - from - taken);
        part.set(chunk.subarray(from + taken, from + taken + n), f.at - partStart);
        f.at += n;
        taken += n;
      }
      partStart = partEnd;
    }
    return taken;
  }

  private decode(f: PendingFrame): void {
    const [runId, a, b] = f.parts;
    const text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    if (f.kind === 1) this.onMessage(JSON.parse(text(a)) as HostToClient);
    else this.onMessage({ type: 'batch', runId: text(runId), agent: f.agent, ints: f.ints!, strings: JSON.parse(text(b)) as string[] });
  }
}
