/**
 * WebSocket framing for the contract. Every wire message is a JSON text frame except `run.batch` events,
 * which are binary frames so trace ints are never turned into JSON:
 *
 *   u32 magic 0x4C534231 ("LSB1") | u32 metaUnits | metaUnits × u16 (JSON {runId, agent, strings}) | pad to 4 | int32…
 *
 * Little-endian throughout (every platform Electron and Chromium ship on is little-endian; the magic check
 * would fail loudly on a big-endian peer). Decoding copies only when the received bytes are not 4-aligned.
 */
import type { TraceBatch } from '../trace/schema.ts';
import type { WireMessage } from './protocol.ts';

const MAGIC = 0x4c534231;

export function encodeBatchFrame(runId: string, batch: TraceBatch): Uint8Array {
  const meta = JSON.stringify({ runId, agent: batch.agent, strings: batch.strings });
  const metaBytes = meta.length * 2;
  const intsAt = (8 + metaBytes + 3) & ~3;
  const out = new ArrayBuffer(intsAt + batch.ints.byteLength);
  const view = new DataView(out);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, meta.length, true);
  const units = new Uint16Array(out, 8, meta.length);
  for (let i = 0; i < meta.length; i++) units[i] = meta.charCodeAt(i);
  new Int32Array(out, intsAt, batch.ints.length).set(batch.ints);
  return new Uint8Array(out);
}

/** Throws on a malformed frame; the result still goes through validateEvent. */
export function decodeBatchFrame(bytes: Uint8Array): { type: 'run.batch'; runId: unknown; batch: { agent: unknown; ints: Int32Array; strings: unknown } } {
  if (bytes.byteLength < 8) throw new Error('binary frame too short');
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const view = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('binary frame has a bad magic number');
  const metaUnits = view.getUint32(4, true);
  const intsAt = (8 + metaUnits * 2 + 3) & ~3;
  if (intsAt > aligned.byteLength || (aligned.byteLength - intsAt) % 4 !== 0) throw new Error('binary frame has a bad length');
  const units = new Uint16Array(aligned.buffer, aligned.byteOffset + 8, metaUnits);
  let meta = '';
  for (let i = 0; i < units.length; i += 8192) meta += String.fromCharCode(...units.subarray(i, i + 8192));
  const parsed = JSON.parse(meta) as { runId?: unknown; agent?: unknown; strings?: unknown };
  const ints = new Int32Array(aligned.buffer, aligned.byteOffset + intsAt, (aligned.byteLength - intsAt) / 4);
  return { type: 'run.batch', runId: parsed.runId, batch: { agent: parsed.agent, ints, strings: parsed.strings } };
}

/** One wire message as a WebSocket frame: binary for batches, JSON text for everything else. */
export function encodeFrame(message: WireMessage): string | Uint8Array {
  if (message.type === 'event' && message.event.type === 'run.batch') return encodeBatchFrame(message.event.runId, message.event.batch);
  return JSON.stringify(message);
}

/** The inverse of encodeFrame. The result is unvalidated (the protocol layer validates). */
export function decodeFrame(data: string | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data) as unknown;
  return { type: 'event', event: decodeBatchFrame(data) };
}
