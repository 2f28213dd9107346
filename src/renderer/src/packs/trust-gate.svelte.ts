/**
 * The page's side of the trust prompt: lessons that are not bundled (an opened folder, an imported pack) ask once
 * per folder before their first run. The decision is not the page's to keep: the main process or the server
 * records it (`lessons.trust`) and refuses `runs.start` for a folder it has not recorded, whatever the page says.
 *
 * - Desktop: main asks in a native dialog (`lessons.trust` shows it); the page shows nothing of its own.
 * - Browser mode: the page asks in TrustPrompt.svelte (a modal dialog in the top layer that lesson content cannot
 *   style or cover); Run calls `lessons.trust`, Cancel calls nothing.
 *
 * Invariant: a run of a non-bundled lesson starts only after `ensure` resolved true, and at most one prompt is
 * open at a time (a second request while one is open gets the same answer).
 */
import type { LessonSummary, LoopscopeApi } from '../../../shared/ipc/contract.ts';
import type { LessonStore } from '../lessons/lesson-store.svelte.ts';

export interface TrustRequest {
  readonly key: string;
  readonly folder: string;
  readonly title: string;
}

export class TrustGate {
  pending: TrustRequest | null = $state.raw(null);
  /** Why the last answer could not be recorded ('' when it was). */
  error = $state('');
  readonly #api: LoopscopeApi;
  readonly #lessons: LessonStore;
  #answer: Promise<boolean> | null = null;
  #resolve: ((ok: boolean) => void) | null = null;

  constructor(api: LoopscopeApi, lessons: LessonStore) {
    this.#api = api;
    this.#lessons = lessons;
  }

  /** Resolves true when the lesson may run (bundled, trusted before, or the user chose Run now). */
  ensure(lesson: Pick<LessonSummary, 'key' | 'source' | 'title' | 'trusted'>): Promise<boolean> {
    if (lesson.trusted) return Promise.resolve(true);
    if (this.#answer) return this.#answer;
    this.error = '';
    if (this.#api.kind === 'desktop') {
      const asked = this.#record(lesson.key, lesson.source);
      this.#answer = asked;
      void asked.finally(() => {
        if (this.#answer === asked) this.#answer = null;
      });
      return asked;
    }
    this.pending = { key: lesson.key, folder: lesson.source, title: lesson.title };
    this.#answer = new Promise<boolean>((resolve) => (this.#resolve = resolve));
    return this.#answer;
  }

  /** The user's answer to the page's prompt (browser mode). */
  async answer(run: boolean): Promise<void> {
    const request = this.pending;
    const resolve = this.#resolve;
    this.pending = null;
    this.#answer = null;
    this.#resolve = null;
    resolve?.(request !== null && run ? await this.#record(request.key, request.folder) : false);
  }

  /** Asks the Node side to trust the lesson's folder; true when it did. */
  async #record(key: string, folder: string): Promise<boolean> {
    try {
      const { trusted } = await this.#api.call({ type: 'lessons.trust', key });
      if (trusted) this.#lessons.markTrusted(folder);
      return trusted;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    }
  }
}
