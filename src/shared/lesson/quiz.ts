/**
 * Scoring of predict-the-output quizzes. Pure. The same function scores an "order" quiz (the learner arranged
 * shuffled lines) and a "type" quiz (the learner typed the output); `quizAnswerKey` in format.ts builds `expected`.
 */

export interface QuizLineScore {
  /** The learner's line as given. */
  readonly text: string;
  /** True when this line is the one expected at this position. */
  readonly ok: boolean;
  /** Where this text belongs in the expected output (-1 when it is not printed at all). */
  readonly expectedIndex: number;
}

export interface QuizScore {
  readonly correct: boolean;
  /** One entry per answer line, in the learner's order. */
  readonly lines: readonly QuizLineScore[];
  /** Lines the learner left out, in expected order. */
  readonly missing: readonly string[];
  /** The accepted output the answer was scored against (the closest one when there are several). */
  readonly against: readonly string[];
}

/** Trailing spaces and \r are never meaningful in console lines. */
const norm = (line: string): string => line.replace(/[\s\r]+$/, '');

/**
 * Scores `answer` against one accepted output (`string[]`) or several (`string[][]`, an `anyOf` lesson: the
 * answer is correct when it matches any of them, and is marked against the closest). Trailing whitespace of each
 * line and trailing empty lines of the answer are ignored.
 */
export function scoreQuiz(expected: readonly string[] | readonly (readonly string[])[], answer: readonly string[]): QuizScore {
  const variants: (readonly string[])[] = expected.length > 0 && Array.isArray(expected[0]) ? (expected as readonly (readonly string[])[]).slice() : [expected as readonly string[]];
  const given = answer.map(norm);
  while (given.length > 0 && given[given.length - 1] === '') given.pop();
  let best: QuizScore | null = null;
  let bestOk = Number.NEGATIVE_INFINITY;
  for (const variant of variants) {
    const score = scoreAgainst(variant.map(norm), given, answer);
    const okCount = score.lines.filter((l) => l.ok).length - score.missing.length;
    if (score.correct) return score;
    if (okCount > bestOk) {
      best = score;
      bestOk = okCount;
    }
  }
  return best ?? scoreAgainst([], given, answer);
}

function scoreAgainst(expected: readonly string[], given: readonly string[], raw: readonly string[]): QuizScore {
  // Each expected occurrence can explain one answer line: exact-position matches first, then the first free one.
  const used = new Array<boolean>(expected.length).fill(false);
  const index = new Array<number>(given.length).fill(-1);
  given.forEach((line, i) => {
    if (expected[i] === line) {
      index[i] = i;
      used[i] = true;
    }
  });
  given.forEach((line, i) => {
    if (index[i] !== -1) return;
    const at = expected.findIndex((e, j) => !used[j] && e === line);
    if (at >= 0) {
      index[i] = at;
      used[at] = true;
    }
  });
  const lines = given.map((_, i) => ({ text: raw[i] ?? '', ok: index[i] === i, expectedIndex: index[i] ?? -1 }));
  const missing = expected.filter((_, j) => !used[j]);
  const correct = given.length === expected.length && lines.every((l) => l.ok);
  return { correct, lines, missing, against: expected };
}
