/**
 * The user's settings in the renderer: read once at startup, changed locally at once and persisted (debounced)
 * through the API. Theme resolution ('system' follows the OS) lives here too.
 */
import { DEFAULT_SETTINGS, type LoopscopeApi, type Settings, type ThemeChoice } from '../../../shared/ipc/contract.ts';

export class SettingsStore {
  settings: Settings = $state.raw(DEFAULT_SETTINGS);
  /** The OS prefers dark (kept current by a media query listener). */
  osDark = $state(false);
  readonly dark: boolean = $derived(this.settings.theme === 'dark' || (this.settings.theme === 'system' && this.osDark));

  readonly #api: LoopscopeApi;
  #pending: Partial<Settings> = {};
  #timer: ReturnType<typeof setTimeout> | null = null;
  #media: MediaQueryList | null = null;
  #onMedia = (e: MediaQueryListEvent): void => {
    this.osDark = e.matches;
  };

  constructor(api: LoopscopeApi) {
    this.#api = api;
    if (typeof matchMedia === 'function') {
      this.#media = matchMedia('(prefers-color-scheme: dark)');
      this.osDark = this.#media.matches;
      this.#media.addEventListener('change', this.#onMedia);
    }
  }

  async load(): Promise<void> {
    this.settings = await this.#api.call({ type: 'settings.get' });
  }

  update(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
    this.#pending = { ...this.#pending, ...patch };
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), 300);
  }

  setTheme(theme: ThemeChoice): void {
    this.update({ theme });
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const patch = this.#pending;
    this.#pending = {};
    if (Object.keys(patch).length === 0) return;
    try {
      await this.#api.call({ type: 'settings.set', patch });
    } catch (e) {
      console.warn('settings were not saved', e);
    }
  }

  dispose(): void {
    this.#media?.removeEventListener('change', this.#onMedia);
    void this.flush();
  }
}
