/**
 * Checkpoint markers: a line `// @checkpoint <id>` in a lesson's code marks the next code line. The app (and the
 * checker) resolves a marker to the first step whose current statement is on that line. Pure.
 */
import type { Lesson, LessonIssue } from './format.ts';
import { watchMarkerIssues } from './watch-markers.ts';

export interface CheckpointMarker {
  readonly id: string;
  readonly file: string;
  /** 1-based line of the `// @checkpoint` comment. */
  readonly commentLine: number;
  /** 1-based line of the code the marker points at (the next line that is not blank or a comment). */
  readonly line: number;
}

const MARKER_RE = /^\s*\/\/\s*@checkpoint\b\s*(.*?)\s*$/;
const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface MarkerScan {
  readonly markers: readonly CheckpointMarker[];
  readonly issues: readonly LessonIssue[];
}

/** Finds every `// @checkpoint <id>` comment in the given files. */
export function findCheckpointMarkers(files: readonly { readonly path: string; readonly text: string }[]): MarkerScan {
  const markers: CheckpointMarker[] = [];
  const issues: LessonIssue[] = [];
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    lines.forEach((text, i) => {
      const m = MARKER_RE.exec(text);
      if (!m) return;
      const id = m[1] ?? '';
      const where = `${file.path}:${i + 1}`;
      if (!ID_RE.test(id)) return void issues.push({ path: where, message: `checkpoint marker ${JSON.stringify(id)} must be a kebab-case id: // @checkpoint my-step` });
      const line = nextCodeLine(lines, i + 1);
      if (line < 0) return void issues.push({ path: where, message: `checkpoint marker "${id}" has no code after it` });
      const earlier = markers.find((k) => k.id === id);
      if (earlier) return void issues.push({ path: where, message: `checkpoint marker "${id}" is also at ${earlier.file}:${earlier.commentLine}` });
      markers.push({ id, file: file.path, commentLine: i + 1, line });
    });
  }
  return { markers, issues };
}

/** 1-based number of the first line at or after 0-based `from` that holds code; -1 when there is none. */
function nextCodeLine(lines: readonly string[], from: number): number {
  let inBlock = false;
  for (let i = from; i < lines.length; i++) {
    let t = (lines[i] ?? '').trim();
    if (inBlock) {
      const end = t.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      t = t.slice(end + 2).trim();
    }
    if (t.startsWith('/*')) {
      const end = t.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        continue;
      }
      t = t.slice(end + 2).trim();
    }
    if (t === '' || t.startsWith('//')) continue;
    return i + 1;
  }
  return -1;
}

/**
 * Problems between a valid lesson.json and its code: each marker checkpoint needs exactly one marker comment in
 * the lesson's code files, and every marker comment must belong to a checkpoint (a stray one is usually a typo).
 */
export function lessonSourceIssues(lesson: Pick<Lesson, 'checkpoints'>, files: readonly { readonly path: string; readonly text: string }[]): LessonIssue[] {
  const { markers, issues } = findCheckpointMarkers(files);
  const out = [...issues, ...watchMarkerIssues(files)];
  const wanted = new Set<string>();
  lesson.checkpoints.forEach((c, i) => {
    if (c.marker === undefined) return;
    wanted.add(c.marker);
    if (!markers.some((m) => m.id === c.marker)) out.push({ path: `checkpoints[${i}].marker`, message: `no "// @checkpoint ${c.marker}" comment in ${files.map((f) => f.path).join(', ')}` });
  });
  for (const m of markers) {
    if (!wanted.has(m.id)) out.push({ path: `${m.file}:${m.commentLine}`, message: `marker "${m.id}" is not used by any checkpoint in lesson.json` });
  }
  return out;
}
