/**
 * Predict-the-output feedback: scores a learner's prediction against what the run really printed and, for each
 * line, says which queue or event-loop phase decided its place, with the step the player can jump to. Pure (no
 * DOM, no Node): reads the trace through `TraceModel` (console lines, the task index, the state at a step).
 *
 * Invariants:
 * - Marks are about this run. The answer key is the run's own stdout (for an order quiz with `lines`, those lines
 *   in the order the run printed them), so a learner who edited the code is scored against what their code did.
 *   An answer that matches another accepted output of an unedited lesson (an honestly nondeterministic one) is
 *   correct too (`acceptedVariant`).
 * - Every explanation is read from the trace (the task that was running when the line was printed, the queue its
 *   kind waits in, the phase it ran in); nothing is guessed from the source text.
 * - `jumpCursor` is a cursor position (the state just after the Console event), never out of [1, count].
 */
import type { TraceModel } from '../trace/model.ts';
import { isMicro, PHASE_NAMES, QUEUE_NAMES, queueOf, TaskKind, TASK_KIND_NAMES } from '../trace/schema.ts';
import { quizAnswerKey, type Lesson } from './format.ts';
import { scoreQuiz, type QuizScore } from './quiz.ts';

/** Where a printed line came from: the task that was running when it was printed. */
export interface LineOrigin {
  readonly agent: number;
  /** 'Main thread' or the worker's name. */
  readonly agentName: string;
  readonly taskId: number;
  /** A TaskKind, or -1 when the trace never scheduled the task. */
  readonly kind: number;
  /** The task's label (a kit label like "GET api/users", else the kind's name). */
  readonly label: string;
  /** The event-loop phase it ran in (Phase), -1 when unknown. */
  readonly phase: number;
  /** Step of its TaskStart (-1 when unknown) and of the TaskRunnable that put it in its queue (-1 when none). */
  readonly startStep: number;
  readonly runnableStep: number;
}

/** One stdout line of the run, with the Console event that printed it. */
export interface PrintedLine {
  readonly text: string;
  /** Event index of the Console event. */
  readonly step: number;
  readonly origin: LineOrigin | null;
}

export type TraceModelView = Pick<TraceModel, 'console' | 'stateAt' | 'tasks' | 'count'>;

/**
 * The run's stdout lines (console.log & co., and `process.stdout.write` text split at newlines), each with the
 * task that printed it. A written line is attributed to the write that started it.
 */
export function printedLines(model: TraceModelView): PrintedLine[] {
  interface Partial {
    text: string;
    step: number;
    agent: number;
  }
  const out: PrintedLine[] = [];
  const open: { line: Partial | null } = { line: null };
  const push = (p: Partial): void => void out.push({ text: p.text, step: p.step, origin: originAt(model, p.step, p.agent) });
  const close = (): void => {
    if (open.line) push(open.line);
    open.line = null;
  };
  for (const line of model.console) {
    if (line.stream === 0) {
      close();
      push({ text: line.text, step: line.step, agent: line.agent });
      continue;
    }
    if (line.stream !== 2) continue;
    const parts = line.text.split('\n');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (open.line) open.line.text += part;
      else if (!last || part !== '') open.line = { text: part, step: line.step, agent: line.agent };
      if (!last) close();
    }
  }
  close();
  return out;
}

function originAt(model: TraceModelView, step: number, agentId: number): LineOrigin | null {
  const state = model.stateAt(step + 1);
  const agent = state.agents.find((a) => a.id === agentId);
  if (!agent) return null;
  // The outermost task decided when this code ran; an EventEmitter listener runs inside its caller's task.
  const running = agent.taskStack.find((t) => t.kind !== TaskKind.Emit) ?? agent.currentTask;
  if (!running) return null;
  const info = model.tasks.get(agentId, running.taskId);
  return {
    agent: agentId,
    agentName: agentId === 0 ? 'Main thread' : agent.name || `Worker ${agentId}`,
    taskId: running.taskId,
    kind: running.kind,
    label: running.label,
    phase: running.phase,
    startStep: running.startStep,
    runnableStep: info?.runs.find((r) => r.startStep === running.startStep)?.runnableStep ?? info?.runnableStep ?? -1,
  };
}

// ------------------------------------------------------------------------------------------------ wording

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const phaseName = (phase: number): string | null => (phase > 0 ? (PHASE_NAMES[phase] ?? null) : null);
/** `microtask queue`, `timers queue`: QUEUE_NAMES in the singular a sentence needs. */
const queueName = (kind: TaskKind): string => {
  const name = QUEUE_NAMES[queueOf(kind)] ?? 'task';
  return name === 'microtasks' ? 'microtask' : name;
};

/** What kind of callback it was, with its label when the kit gave it one: `a setTimeout callback`. */
function callbackPhrase(o: LineOrigin): string {
  const kindName = TASK_KIND_NAMES[o.kind] ?? 'callback';
  const labelled = o.label && o.label !== kindName ? ` ("${o.label}")` : '';
  switch (o.kind) {
    case TaskKind.Timeout:
    case TaskKind.Interval:
    case TaskKind.Immediate:
    case TaskKind.NextTick:
    case TaskKind.Microtask:
      return `${article(kindName)} ${kindName} callback${labelled}`;
    case TaskKind.PromiseReaction:
      return `a promise reaction (a .then/.catch/.finally callback)${labelled}`;
    case TaskKind.AwaitContinuation:
      return `an async function resuming after await${labelled}`;
    case TaskKind.ThenableJob:
      return `a thenable job (resolving a promise with a thenable)${labelled}`;
    case TaskKind.Io:
      return `an I/O callback${labelled}`;
    case TaskKind.Close:
      return `a close callback${labelled}`;
    case TaskKind.Message:
      return `a message event handler${labelled}`;
    case TaskKind.Signal:
      return `a signal handler${labelled}`;
    default:
      return `a callback${labelled}`;
  }
}

/** A short form for contrasts: `the main script`, `a setTimeout callback in the timers phase`. */
export function shortOrigin(o: LineOrigin | null): string {
  if (!o) return 'code outside any task';
  const where = o.agent === 0 ? '' : ` on ${o.agentName}`;
  if (o.kind === TaskKind.Script) return `the ${o.agent === 0 ? 'main script' : 'worker script'}${where}`;
  if (o.kind >= 0 && isMicro(o.kind as TaskKind)) return `${callbackPhrase(o)} from the ${queueName(o.kind as TaskKind)} queue${where}`;
  const phase = phaseName(o.phase);
  return `${callbackPhrase(o)}${phase ? ` in the ${phase} phase` : ''}${where}`;
}

/** A full sentence: which queue or phase decided when this line was printed. */
export function describeOrigin(o: LineOrigin | null): string {
  if (!o) return 'It was printed outside any task the trace knows of.';
  const where = o.agent === 0 ? '' : ` on ${o.agentName}`;
  if (o.kind === TaskKind.Script) {
    return `Printed by the ${o.agent === 0 ? 'main script' : 'worker script'}${where} itself: synchronous code runs to its end before any queued callback gets a turn.`;
  }
  if (o.kind < 0) return `Printed by a callback${where} the trace did not see being scheduled.`;
  const kind = o.kind as TaskKind;
  if (isMicro(kind)) {
    const phase = phaseName(o.phase);
    const after = phase ? `after a callback of the ${phase} phase` : 'after the main script';
    // No general claim about nextTick versus promise jobs here: which drains first depends on what is running
    // (an ES module's body is itself a promise job), and the trace already shows the order that happened.
    return `Printed by ${callbackPhrase(o)}${where}. It waited in the ${queueName(kind)} queue, which is drained as soon as the running task ends — here ${after}, before the event loop moves on.`;
  }
  const phase = phaseName(o.phase);
  const queue = queueName(kind);
  const phasePart = phase ? ` in the ${phase} phase` : '';
  return `Printed by ${callbackPhrase(o)}${where}${phasePart}, after the microtask queues drained: the event loop only takes it from the ${queue} queue once the current task and all its microtasks are done.`;
}

const ordinal = (n: number): string => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
};

// ------------------------------------------------------------------------------------------------ verdicts

export interface QuizLineVerdict {
  /** The learner's line, as given. */
  readonly text: string;
  readonly ok: boolean;
  /** Where Node printed it among the quiz lines (0-based), -1 when this run did not print it. */
  readonly expectedIndex: number;
  /** The printed line it corresponds to (null when not printed). */
  readonly printed: PrintedLine | null;
  /** Why it belongs where Node put it; '' for a right line. */
  readonly why: string;
  /** Cursor to jump the player to (just after the line was printed), or null. */
  readonly jumpCursor: number | null;
}

export interface MissingLine {
  readonly text: string;
  readonly printed: PrintedLine | null;
  readonly why: string;
  readonly jumpCursor: number | null;
}

export interface QuizFeedback {
  readonly correct: boolean;
  /** The answer matched another accepted output of the lesson, not the one this run printed. */
  readonly acceptedVariant: boolean;
  readonly rightCount: number;
  readonly lines: readonly QuizLineVerdict[];
  readonly missing: readonly MissingLine[];
  /** The quiz lines in the order this run printed them. */
  readonly actual: readonly string[];
}

/**
 * Scores `answer` against the run's printed lines and explains each line. `lesson` gives the quiz kind (and
 * `lines` for an order quiz) and, when `lessonUnedited`, the accepted outputs a nondeterministic lesson allows.
 */
export function quizFeedback(lesson: Pick<Lesson, 'expected' | 'quiz'>, answer: readonly string[], printed: readonly PrintedLine[], options: { lessonUnedited?: boolean } = {}): QuizFeedback {
  const [actual = []] = quizAnswerKey({ expected: { stdout: printed.map((p) => p.text) }, quiz: lesson.quiz });
  let score = scoreQuiz(actual, answer);
  let acceptedVariant = false;
  if (!score.correct && options.lessonUnedited) {
    const other = scoreQuiz(quizAnswerKey(lesson), answer);
    if (other.correct) {
      score = other;
      acceptedVariant = true;
    }
  }
  // Quiz line k of the run → the printed line: the n-th occurrence of a text among the quiz lines is its n-th print.
  const printedOf = (index: number): PrintedLine | null => {
    const text = actual[index];
    if (text === undefined) return null;
    const nth = actual.slice(0, index).filter((t) => t === text).length;
    return printed.filter((p) => p.text.replace(/[\s\r]+$/, '') === text.replace(/[\s\r]+$/, ''))[nth] ?? null;
  };
  const jump = (p: PrintedLine | null): number | null => (p ? Math.max(1, p.step + 1) : null);
  const lines = explainLines(score, acceptedVariant, printedOf, jump);
  const missing = acceptedVariant
    ? []
    : score.missing.map((text): MissingLine => {
        const at = actual.findIndex((t, i) => t === text && !score.lines.some((l) => l.expectedIndex === i));
        const p = at >= 0 ? printedOf(at) : null;
        return { text, printed: p, why: `${describeOrigin(p?.origin ?? null)} Node printed it ${ordinal(at + 1)}.`, jumpCursor: jump(p) };
      });
  return { correct: score.correct, acceptedVariant, rightCount: score.lines.filter((l) => l.ok).length, lines, missing, actual };
}

function explainLines(score: QuizScore, acceptedVariant: boolean, printedOf: (i: number) => PrintedLine | null, jump: (p: PrintedLine | null) => number | null): QuizLineVerdict[] {
  return score.lines.map((line, i): QuizLineVerdict => {
    const p = acceptedVariant ? null : printedOf(line.expectedIndex);
    const base = { text: line.text, ok: line.ok, expectedIndex: line.expectedIndex, printed: p, jumpCursor: jump(p) };
    if (line.ok) return { ...base, why: '' };
    if (line.expectedIndex < 0) return { ...base, why: 'This run did not print this line (or printed it fewer times).' };
    const placed = `You put it ${ordinal(i + 1)}; Node printed it ${ordinal(line.expectedIndex + 1)}.`;
    // The nearest line the learner put on the wrong side of this one.
    let contrast = '';
    for (let d = 1; d < score.lines.length && !contrast; d++) {
      for (const j of [i - d, i + d]) {
        const other = score.lines[j];
        if (!other || other.expectedIndex < 0 || contrast) continue;
        const before = j < i;
        if (before === other.expectedIndex > line.expectedIndex) {
          const o = printedOf(other.expectedIndex);
          contrast = ` You put it ${before ? 'after' : 'before'} "${other.text}", which ${before ? 'Node printed later' : 'Node printed earlier'}, from ${shortOrigin(o?.origin ?? null)}.`;
        }
      }
    }
    return { ...base, why: `${describeOrigin(p?.origin ?? null)} ${placed}${contrast}` };
  });
}
