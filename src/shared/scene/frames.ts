/** Frame-table lookups by id (the header's frames need not be stored in id order). */
import { FrameExcerpts } from '../trace/excerpt.ts';
import { HOST_FRAMES, type Frame, type TraceHeader } from '../trace/schema.ts';

export class FrameTable {
  private readonly byId = new Map<number, Frame>();
  private readonly excerpts: FrameExcerpts;

  /** With the header's files, anonymous functions get their source excerpt as `label`. */
  constructor(header: Pick<TraceHeader, 'frames'> & Partial<Pick<TraceHeader, 'files'>>) {
    for (const f of header.frames) if (!this.byId.has(f.id)) this.byId.set(f.id, f);
    this.excerpts = new FrameExcerpts(header);
  }

  get(id: number): Frame | undefined {
    return this.byId.get(id);
  }

  name(id: number): string {
    const f = this.byId.get(id);
    if (f) return f.kind === 'script' ? f.file || f.name : f.name || '(anonymous)';
    return HOST_FRAMES[id] ?? (id < 0 ? '(async function)' : `frame ${id}`);
  }

  /** The name, or for an anonymous function a short excerpt of its source: `async () => { await sleep(300) … }`. */
  label(id: number): string {
    return this.excerpts.of(this.byId.get(id)) || this.name(id);
  }

  isHost(id: number): boolean {
    const f = this.byId.get(id);
    return f ? f.kind === 'host' : id >= 0 && id < HOST_FRAMES.length;
  }

  /** `main.ts:12`, or '' for host frames. */
  where(id: number): string {
    const f = this.byId.get(id);
    return f && f.file && f.line > 0 ? `${f.file}:${f.line}` : '';
  }
}
