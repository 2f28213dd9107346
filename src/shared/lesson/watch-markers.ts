/**
 * Watch markers: a comment `// @watch balance, total` in a lesson's code names bindings whose every assignment the
 * runtime records (runtime/instrument/values.ts rewrites them; the stage's Values panel shows them). Pure.
 */
import type { LessonIssue } from './format.ts';

const WATCH_RE = /^[ \t]*\/\/[ \t]*@watch\b(.*)$/;
const IDENT_RE = /^[A-Za-z_$][\w$]*$/;

/** Binding names the file's `// @watch a, b` comments name (invalid names are left out; see `watchMarkerIssues`). */
export function watchedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split(/\r\n|[\n\r\u2028\u2029]/)) {
    const m = WATCH_RE.exec(line);
    if (m) for (const name of (m[1] ?? '').split(/[\s,]+/)) if (IDENT_RE.test(name)) out.add(name);
  }
  return out;
}

/** Problems with `// @watch` comments in a lesson's code files: the lesson loader reports them like bad checkpoint markers. */
export function watchMarkerIssues(files: readonly { readonly path: string; readonly text: string }[]): LessonIssue[] {
  const issues: LessonIssue[] = [];
  for (const file of files) {
    file.text.split(/\r?\n/).forEach((line, i) => {
      const m = WATCH_RE.exec(line);
      if (!m) return;
      const names = (m[1] ?? '').trim().split(/[\s,]+/).filter(Boolean);
      if (names.length === 0) issues.push({ path: `${file.path}:${i + 1}`, message: 'a watch marker names no variable: // @watch balance' });
      for (const n of names) if (!IDENT_RE.test(n)) issues.push({ path: `${file.path}:${i + 1}`, message: `${JSON.stringify(n)} is not a variable name (// @watch balance, total)` });
    });
  }
  return issues;
}
