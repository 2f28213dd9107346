import { describe, expect, it } from 'vitest';
import { hasInvisible, revealInvisible } from './visible-text.ts';
import { isSafeExternalUrl } from './safe-url.ts';

describe('revealInvisible', () => {
  it('shows a right-to-left override in a title instead of letting it reverse the text', () => {
    // "Event loop ‮st.exe" would display as "Event loop exe.ts"
    expect(revealInvisible('Event loop \u202Est.exe')).toBe('Event loop ⟨U+202E⟩st.exe');
    expect(hasInvisible('Event loop \u202Est.exe')).toBe(true);
  });

  it('marks isolates, direction marks, zero-width characters, controls and escapes', () => {
    expect(revealInvisible('a\u2066b\u2069c\u200Fd\u200Be\u001b[2Jf\ng\u0000')).toBe('a⟨U+2066⟩b⟨U+2069⟩c⟨U+200F⟩d⟨U+200B⟩e⟨U+001B⟩[2Jf⟨U+000A⟩g⟨U+0000⟩');
  });

  it('leaves ordinary text, accents, CJK and emoji alone', () => {
    const text = 'Promises — déjà vu, 約束, 🎉, עברית';
    expect(revealInvisible(text)).toBe(text);
    expect(hasInvisible(text)).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://nodejs.org/api/', true],
    ['http://example.com', true],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['file:///etc/passwd', false],
    ['https://user:pw@example.com/', false],
    ['#token=x', false],
  ])('%s → %s', (url, safe) => expect(isSafeExternalUrl(url)).toBe(safe));
});
