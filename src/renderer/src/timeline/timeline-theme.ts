/** Theme colours the timeline canvas needs, read from the app's CSS variables (light and dark). */

export interface TimelineTheme {
  readonly bg: string;
  readonly bg2: string;
  readonly bg3: string;
  readonly fg: string;
  readonly fg2: string;
  readonly border: string;
  readonly accent: string;
  readonly error: string;
  readonly dark: boolean;
}

export function readTheme(el: Element): TimelineTheme {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#ffffff'),
    bg2: v('--bg-2', '#f6f8fa'),
    bg3: v('--bg-3', '#eaeef2'),
    fg: v('--fg', '#1f2328'),
    fg2: v('--fg-2', '#57606a'),
    border: v('--border', '#d0d7de'),
    accent: v('--accent', '#0173b2'),
    error: v('--error', '#c62828'),
    dark: document.documentElement.dataset.theme === 'dark',
  };
}
