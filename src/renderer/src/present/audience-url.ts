/**
 * The audience view's address: the app's own page with `#view=audience` instead of the connection token. The
 * audience page opens no API connection at all (src/renderer/src/main.ts): it only listens to the presenter.
 */
export function audienceUrl(pageUrl: string): string {
  const u = new URL(pageUrl);
  u.hash = 'view=audience';
  u.search = '';
  return u.toString();
}

export function isAudienceView(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get('view') === 'audience';
}

/** The join token of a follow-along page (`#view=follow&join=<token>`), or null. */
export function followToken(hash: string): string | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  return p.get('view') === 'follow' ? p.get('join') : null;
}
