/**
 * The predict-the-output quiz of the open lesson: the learner's prediction (lines to order, or typed text), the
 * run it was locked in for, and the feedback once that run ended.
 *
 * Invariants:
 * - A prediction is scored only against the run started by "Lock in and run" (`runId`); other runs leave it alone.
 * - Opening another lesson starts a fresh quiz; re-opening or resetting the same lesson keeps the prediction.
 * - An order quiz never starts in the right order (the shuffle is redone until it differs).
 */
import type { LessonDetail } from '../../../shared/ipc/contract.ts';
import type { LessonExpected, LessonQuiz } from '../../../shared/lesson/format.ts';
import { printedLines, quizFeedback, type QuizFeedback } from '../../../shared/lesson/quiz-explain.ts';
import type { Trace } from '../../../shared/trace/builder.ts';
import { TraceModel } from '../../../shared/trace/model.ts';

export type QuizStatus = 'answering' | 'waiting' | 'scored';

interface QuizSpec {
  readonly quiz: LessonQuiz;
  readonly expected: LessonExpected;
}

/** The quiz and expected output from a lesson's extras (lesson.json, already validated by the loader). */
export function quizSpecOf(extras: unknown): QuizSpec | null {
  if (typeof extras !== 'object' || extras === null) return null;
  const { quiz, expected } = extras as { quiz?: unknown; expected?: unknown };
  if (typeof quiz !== 'object' || quiz === null || typeof expected !== 'object' || expected === null) return null;
  const q = quiz as { kind?: unknown; prompt?: unknown; lines?: unknown };
  if (typeof q.prompt !== 'string' || (q.kind !== 'order' && q.kind !== 'type')) return null;
  if (q.lines !== undefined && !(Array.isArray(q.lines) && q.lines.every((l) => typeof l === 'string'))) return null;
  return { quiz: quiz as LessonQuiz, expected: expected as LessonExpected };
}

/** The lines an order quiz asks to arrange, in a printed order (the first accepted output). */
function linesToOrder(spec: QuizSpec): string[] {
  if (spec.quiz.kind === 'order' && spec.quiz.lines) return [...spec.quiz.lines];
  return [...(spec.expected.stdout ?? spec.expected.anyOf?.[0] ?? [])];
}

export function shuffled(lines: readonly string[], random: () => number = Math.random): string[] {
  const out = [...lines];
  const same = (): boolean => out.every((l, i) => l === lines[i]);
  for (let attempt = 0; attempt < 20 && (attempt === 0 || same()); attempt++) {
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  if (same() && out.length > 1) out.push(out.shift()!); // all lines equal or an unlucky random source
  return out;
}

export class QuizStore {
  lessonKey: string | null = $state(null);
  spec: QuizSpec | null = $state.raw(null);
  /** Order quiz: the learner's current order. */
  order: string[] = $state([]);
  /** Order quiz: the selected line (keyboard moves it with Alt+↑/↓). */
  selected = $state(0);
  /** Type quiz: the learner's text. */
  typed = $state('');
  status: QuizStatus = $state('answering');
  runId: string | null = $state(null);
  feedback: QuizFeedback | null = $state.raw(null);
  /** Set when the run ended without output to score (it failed to start, or crashed first). */
  problem = $state('');

  get available(): boolean {
    return this.spec !== null;
  }

  get kind(): 'order' | 'type' | null {
    return this.spec?.quiz.kind ?? null;
  }

  /** The prediction as console lines. */
  get answer(): string[] {
    if (this.kind === 'order') return [...this.order];
    const lines = this.typed.replace(/\r/g, '').split('\n');
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    return lines;
  }

  /** Follows the open lesson. */
  load(lesson: LessonDetail | null): void {
    if ((lesson?.key ?? null) === this.lessonKey) return;
    this.lessonKey = lesson?.key ?? null;
    this.spec = lesson ? quizSpecOf(lesson.extras) : null;
    this.retry();
  }

  /** Back to answering, with the lines shuffled again. */
  retry(): void {
    this.order = this.spec ? shuffled(linesToOrder(this.spec)) : [];
    this.selected = 0;
    this.typed = '';
    this.status = 'answering';
    this.runId = null;
    this.feedback = null;
    this.problem = '';
  }

  /** Moves line `from` to position `to` (drag and drop, Alt+↑/↓). */
  move(from: number, to: number): void {
    const n = this.order.length;
    if (from < 0 || from >= n || to < 0 || to >= n || from === to) return;
    const next = [...this.order];
    const [line] = next.splice(from, 1);
    next.splice(to, 0, line!);
    this.order = next;
    this.selected = to;
  }

  /** The prediction is final; `runId` (when known) is the run that will score it. */
  lockIn(runId: string | null = null): void {
    this.status = 'waiting';
    this.runId = runId;
    this.feedback = null;
    this.problem = '';
  }

  /** The run was cancelled (trust prompt) before it started: the learner can keep editing. */
  unlock(): void {
    if (this.status === 'waiting') this.status = 'answering';
    this.runId = null;
  }

  /** Scores the prediction against the finished run. */
  score(trace: Trace | null, lessonUnedited: boolean): void {
    if (!this.spec || this.status !== 'waiting') return;
    this.status = 'scored';
    if (!trace) {
      this.problem = 'The run ended before it printed anything, so there is nothing to compare with. Fix the code and try again.';
      return;
    }
    const printed = printedLines(new TraceModel(trace));
    this.feedback = quizFeedback(this.spec, this.answer, printed, { lessonUnedited });
  }
}
