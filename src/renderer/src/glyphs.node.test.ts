/**
 * The app ships no font: it draws its text with the system's (app.css). The symbols it uses (✓ ✕ ⚠ ⚑ ▸ …) are in
 * the fonts every desktop has (DejaVu on Linux), but emoji from Unicode's supplementary planes are not: on a Linux
 * desktop without an emoji font, the sandbox badge's 🛡 showed as an empty box. Such an icon is drawn instead (an
 * inline SVG).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DIRS = ['src/renderer/src', 'src/shared'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(svelte|ts|css|html)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('the glyphs the UI shows', () => {
  it('include no emoji from the supplementary planes (no font guarantees them)', () => {
    const found: string[] = [];
    for (const file of DIRS.flatMap((d) => sources(join(ROOT, d)))) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const ch of line) if (ch.codePointAt(0)! >= 0x1f000) found.push(`${relative(ROOT, file)}:${i + 1} ${ch} U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
