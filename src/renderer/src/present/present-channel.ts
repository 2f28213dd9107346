/**
 * Presenter → audience sync over a BroadcastChannel (same origin: the audience window of the desktop app, or the
 * audience URL of browser mode opened in the same browser). The presenter owns the truth and posts the view on
 * every change (one small message, so the audience follows within a frame) and the finished trace once per run
 * (serialized, the own trace format) and again whenever an audience window says hello. Speaker notes are never
 * sent. Every message received is checked for shape: another page of the origin could post anything.
 */

export const PRESENT_CHANNEL = 'loopscope-present';

export interface AudienceSlide {
  readonly name: string;
  readonly explain: string;
  readonly index: number;
  readonly count: number;
}

export interface PresentView {
  readonly traceId: string | null;
  readonly cursor: number;
  readonly blank: boolean;
  readonly title: string;
  readonly slide: AudienceSlide | null;
  readonly scalePct: number;
  /** The presenter's theme, for the audience window (students' pages keep their own). Absent from older presenters. */
  readonly theme?: 'light' | 'dark';
  /** When the presenter posted it (Date.now(), for the latency shown in tests). */
  readonly sentAtMs: number;
}

export type PresentMessage =
  | { readonly type: 'hello' }
  | { readonly type: 'trace'; readonly traceId: string; readonly text: string }
  | { readonly type: 'view'; readonly view: PresentView }
  | { readonly type: 'closed' };

const MAX_TRACE_CHARS = 256 * 1024 * 1024;
const isStr = (v: unknown, max = 4000): v is string => typeof v === 'string' && v.length <= max;
const isInt = (v: unknown, min = 0, max = 2 ** 31): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** The message, if it has the shape of one; null otherwise (dropped). */
export function readPresentMessage(data: unknown): PresentMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case 'hello':
    case 'closed':
      return { type: m.type };
    case 'trace':
      return isStr(m.traceId, 100) && isStr(m.text, MAX_TRACE_CHARS) ? { type: 'trace', traceId: m.traceId, text: m.text } : null;
    case 'view': {
      const v = m.view as Record<string, unknown> | null;
      if (typeof v !== 'object' || v === null) return null;
      if (!(v.traceId === null || isStr(v.traceId, 100)) || !isInt(v.cursor) || typeof v.blank !== 'boolean' || !isStr(v.title, 500) || !isInt(v.scalePct, 50, 400) || typeof v.sentAtMs !== 'number') return null;
      let slide: AudienceSlide | null = null;
      if (v.slide !== null) {
        const s = v.slide as Record<string, unknown>;
        if (typeof s !== 'object' || s === null || !isStr(s.name, 200) || !isStr(s.explain) || !isInt(s.index) || !isInt(s.count)) return null;
        slide = { name: s.name, explain: s.explain, index: s.index, count: s.count };
      }
      if (v.theme !== undefined && v.theme !== 'light' && v.theme !== 'dark') return null;
      const theme = v.theme === undefined ? {} : { theme: v.theme as 'light' | 'dark' };
      return { type: 'view', view: { traceId: v.traceId, cursor: v.cursor, blank: v.blank, title: v.title, slide, scalePct: v.scalePct, ...theme, sentAtMs: v.sentAtMs } };
    }
    default:
      return null;
  }
}

/** One end of the channel; `onMessage` gets only well-formed messages. */
export class PresentChannel {
  readonly #channel: BroadcastChannel | null;

  constructor(onMessage: (m: PresentMessage) => void) {
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(PRESENT_CHANNEL) : null;
    if (this.#channel) {
      this.#channel.onmessage = (e: MessageEvent) => {
        const m = readPresentMessage(e.data);
        if (m) onMessage(m);
      };
    }
  }

  post(m: PresentMessage): void {
    this.#channel?.postMessage(m);
  }

  close(): void {
    this.#channel?.close();
  }
}
