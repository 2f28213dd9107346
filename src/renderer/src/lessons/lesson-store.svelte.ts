/**
 * The lesson browser's and editor's state: the lesson list (grouped by topic, filtered by search), the open
 * lesson, its files as the learner is editing them, and autosave.
 *
 * Invariants: edits are saved automatically (debounced) and flushed before a run, a lesson switch and a reset,
 * so no typed text is lost; `revision` changes only when the files are replaced from outside the editor (open,
 * reset), which is when the editor reloads its models.
 */
import type { LessonDetail, LessonSummary, LoopscopeApi } from '../../../shared/ipc/contract.ts';
import type { LessonFile } from '../../../shared/run/contract.ts';

export const TOPIC_NAMES: Readonly<Record<string, string>> = {
  'event-loop': 'Event loop',
  promises: 'Promises',
  'async-await': 'async / await',
  patterns: 'Patterns',
  workers: 'Worker threads',
  'shared-memory': 'Shared memory & Atomics',
  processes: 'Processes & signals',
  reliability: 'Reliability',
};

export interface LessonGroup {
  readonly topic: string;
  readonly title: string;
  readonly lessons: readonly LessonSummary[];
}

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export class LessonStore {
  lessons: readonly LessonSummary[] = $state.raw([]);
  problems: readonly string[] = $state.raw([]);
  query = $state('');
  current: LessonDetail | null = $state.raw(null);
  files: readonly LessonFile[] = $state.raw([]);
  activePath = $state('');
  edited = $state(false);
  saveState: SaveState = $state('saved');
  saveError = $state('');
  /** Bumped when files are replaced from outside the editor. */
  revision = $state(0);
  loadError = $state('');

  readonly filtered: readonly LessonSummary[] = $derived.by(() => {
    const q = this.query.trim().toLowerCase();
    if (!q) return this.lessons;
    return this.lessons.filter((l) => `${l.title} ${l.summary} ${l.topic} ${l.level} ${l.id}`.toLowerCase().includes(q));
  });

  readonly groups: readonly LessonGroup[] = $derived.by(() => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, rebuilt on every derivation
    const byTopic = new Map<string, LessonSummary[]>();
    for (const l of this.filtered) {
      const list = byTopic.get(l.topic) ?? [];
      list.push(l);
      byTopic.set(l.topic, list);
    }
    return [...byTopic].map(([topic, lessons]) => ({ topic, title: TOPIC_NAMES[topic] ?? topic, lessons }));
  });

  readonly #api: LoopscopeApi;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping for autosave, never rendered
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<void> = Promise.resolve();

  constructor(api: LoopscopeApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.#api.call({ type: 'lessons.list' });
      this.lessons = list.lessons;
      this.problems = list.problems;
      this.loadError = '';
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  async open(key: string): Promise<void> {
    await this.flush();
    const lesson = await this.#api.call({ type: 'lessons.open', key });
    this.#show(lesson);
  }

  /** Called by the editor on every change. */
  edit(path: string, text: string): void {
    this.files = this.files.map((f) => (f.path === path ? { path, text } : f));
    this.#dirty.add(path);
    this.saveState = 'pending';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), 400);
  }

  /** Saves pending edits now; resolves when they are on disk (or failed, with saveError set). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const lesson = this.current;
    if (!lesson || this.#dirty.size === 0) return this.#saving;
    const files = this.files.filter((f) => this.#dirty.has(f.path));
    this.#dirty.clear();
    this.saveState = 'saving';
    this.#saving = this.#saving.then(async () => {
      try {
        const r = await this.#api.call({ type: 'lessons.save', key: lesson.key, files });
        if (this.current?.key === lesson.key) {
          this.edited = r.edited;
          this.saveState = this.#dirty.size > 0 ? 'pending' : 'saved';
        }
        this.lessons = this.lessons.map((l) => (l.key === lesson.key ? { ...l, edited: r.edited } : l));
      } catch (e) {
        this.saveState = 'error';
        this.saveError = e instanceof Error ? e.message : String(e);
        for (const f of files) this.#dirty.add(f.path);
      }
    });
    return this.#saving;
  }

  async reset(): Promise<void> {
    const lesson = this.current;
    if (!lesson) return;
    await this.flush();
    const fresh = await this.#api.call({ type: 'lessons.reset', key: lesson.key });
    this.#show(fresh);
    this.lessons = this.lessons.map((l) => (l.key === lesson.key ? { ...l, edited: false } : l));
  }

  async openFolder(path?: string): Promise<string | null> {
    const r = await this.#api.call(path ? { type: 'lessons.openFolder', path } : { type: 'lessons.openFolder' });
    await this.refresh();
    return r.folder;
  }

  /** The Node side trusted `folder`: its lessons run without asking again. */
  markTrusted(folder: string): void {
    this.lessons = this.lessons.map((l) => (l.source === folder ? { ...l, trusted: true } : l));
    if (this.current?.source === folder) this.current = { ...this.current, trusted: true };
  }

  /** The lesson `delta` places away from the current one in the (filtered) list order. */
  neighbour(delta: 1 | -1): LessonSummary | null {
    const list = this.filtered;
    if (list.length === 0) return null;
    const at = this.current ? list.findIndex((l) => l.key === this.current!.key) : -1;
    const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : at + delta;
    return list[next] ?? null;
  }

  #show(lesson: LessonDetail): void {
    const sameLesson = this.current?.key === lesson.key;
    this.current = lesson;
    this.files = lesson.files;
    this.edited = lesson.edited;
    // A reset keeps the tab the learner was on; another lesson opens at its entry file.
    this.activePath = sameLesson && lesson.files.some((f) => f.path === this.activePath) ? this.activePath : lesson.entry;
    this.saveState = 'saved';
    this.saveError = '';
    this.#dirty.clear();
    this.revision++;
  }
}
