/**
 * The trust prompt's state: lessons that are not bundled (an opened folder, an imported pack) ask once per folder
 * before their first run. The answer "Run" is remembered in the settings (`trustedFolders`); "Cancel" is not.
 *
 * Invariant: a run of a non-bundled lesson starts only after `ensure` resolved true, and at most one prompt is
 * open at a time (a second request while one is open gets the same answer).
 */
import type { LessonSummary } from '../../../shared/ipc/contract.ts';
import type { SettingsStore } from '../app/settings-store.svelte.ts';

export interface TrustRequest {
  readonly folder: string;
  readonly title: string;
}

export class TrustGate {
  pending: TrustRequest | null = $state.raw(null);
  readonly #settings: SettingsStore;
  #answer: Promise<boolean> | null = null;
  #resolve: ((ok: boolean) => void) | null = null;

  constructor(settings: SettingsStore) {
    this.#settings = settings;
  }

  isTrusted(lesson: Pick<LessonSummary, 'source'>): boolean {
    return lesson.source === 'bundled' || this.#settings.settings.trustedFolders.includes(lesson.source);
  }

  /** Resolves true when the lesson may run (bundled, trusted before, or the user chose Run now). */
  ensure(lesson: Pick<LessonSummary, 'source' | 'title'>): Promise<boolean> {
    if (this.isTrusted(lesson)) return Promise.resolve(true);
    if (this.#answer) return this.#answer;
    this.pending = { folder: lesson.source, title: lesson.title };
    this.#answer = new Promise<boolean>((resolve) => (this.#resolve = resolve));
    return this.#answer;
  }

  /** The user's answer to the open prompt. */
  async answer(run: boolean): Promise<void> {
    const request = this.pending;
    const resolve = this.#resolve;
    this.pending = null;
    this.#answer = null;
    this.#resolve = null;
    if (request && run) {
      const trusted = this.#settings.settings.trustedFolders;
      if (!trusted.includes(request.folder)) this.#settings.update({ trustedFolders: [...trusted, request.folder] });
      await this.#settings.flush(); // remembered before the run starts, even if the page closes during it
    }
    resolve?.(run);
  }
}
