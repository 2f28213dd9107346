import { describe, expect, it } from 'vitest';
import { FrameExcerpts, sourceExcerpt } from './excerpt.ts';
import type { Frame } from './schema.ts';

describe('sourceExcerpt', () => {
  it('shows a short function whole, on one line, without its comments', () => {
    expect(sourceExcerpt('() => {\n  done(); // finished\n}')).toBe('() => { done(); }');
    expect(sourceExcerpt('(a) => /* twice */ a * 2')).toBe('(a) => a * 2');
    expect(sourceExcerpt("() => fetch('http://x/y')")).toBe("() => fetch('http://x/y')");
  });

  it('cuts a long one between words, saying it was cut and keeping its closing brace', () => {
    const e = sourceExcerpt('async () => {\n    await sleep(300);\n    console.log("job done at last");\n  }');
    expect(e).toBe('async () => { await sleep(300); … }');
    expect(sourceExcerpt('(_, i) =>\n  semaphore.runExclusive(async () => {\n  await job(i);\n})')).toBe('(_, i) => semaphore.runExclusive(async …');
    expect(sourceExcerpt(`() => ${'x'.repeat(5000)}`).length).toBeLessThan(50);
  });
});

describe('FrameExcerpts', () => {
  const text = "setTimeout(() => console.log('a'), 0);\r\nsetTimeout(function () { console.log('b'); }, 0);\n";
  const fn = (id: number, name: string, line: number, column: number, endColumn: number): Frame => ({ id, kind: 'function', name, file: 'main.ts', line, column, endLine: line, endColumn, flavor: 'sync' });
  const excerpts = new FrameExcerpts({ files: [{ path: 'main.ts', text }] });

  it("reads an anonymous function's excerpt from the file as the learner wrote it (any line break)", () => {
    expect(excerpts.of(fn(30, '(anonymous)', 1, 12, 34))).toBe("() => console.log('a')");
    expect(excerpts.of(fn(31, '(anonymous)', 2, 12, 45))).toBe("function () { console.log('b'); }");
  });

  it('gives nothing for a named function, an unknown file or a position outside the file', () => {
    expect(excerpts.of(fn(32, 'tick', 1, 12, 34))).toBe('');
    expect(excerpts.of({ ...fn(33, '(anonymous)', 1, 12, 34), file: 'other.ts' })).toBe('');
    expect(excerpts.of(fn(34, '(anonymous)', 9, 1, 5))).toBe('');
    expect(excerpts.of(undefined)).toBe('');
  });
});
