/**
 * Line diff of expected vs actual console output, for the lesson checker's report and the app's "your output
 * differs" view. Pure; LCS-based, fine for lesson-sized outputs (it gives up on alignment past 4M cells).
 */

export interface DiffLine {
  /** ' ' same, '-' expected but not printed (or printed elsewhere), '+' printed but not expected. */
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

export function diffLines(expected: readonly string[], actual: readonly string[]): DiffLine[] {
  const n = expected.length;
  const m = actual.length;
  if (n * m > 4_000_000) {
    return [...expected.map((text) => ({ op: '-' as const, text })), ...actual.map((text) => ({ op: '+' as const, text }))];
  }
  // lcs[i][j] = LCS length of expected[i..] and actual[j..], flattened.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = expected[i] === actual[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (expected[i] === actual[j]) {
      out.push({ op: ' ', text: expected[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push({ op: '-', text: expected[i++]! });
    else out.push({ op: '+', text: actual[j++]! });
  }
  while (i < n) out.push({ op: '-', text: expected[i++]! });
  while (j < m) out.push({ op: '+', text: actual[j++]! });
  return out;
}

/** `diffLines` as text: "  same", "- expected", "+ actual". */
export function formatDiff(lines: readonly DiffLine[]): string {
  return lines.map((l) => `${l.op} ${l.text}`).join('\n');
}

/** Splits console output (lines joined with \n, trailing \n) into lines. */
export function splitOutput(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
