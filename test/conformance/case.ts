/**
 * The shape of a conformance case: a snippet, what plain Node prints for it, and what the trace must say about
 * which task printed what. Cases are data (cases/*.ts); oracle.test.ts turns each into tests.
 */
import type { LessonFile } from '../../src/shared/run/contract.ts';
import type { EndReason, Phase, TaskKind } from '../../src/shared/trace/schema.ts';
import type { DecodedEvent } from '../support/trace-events.ts';

export interface TaskExpectation {
  /** A console line exactly as printed (without the newline). */
  readonly line: string;
  /** Which printing of that line, 1-based (default 1). */
  readonly occurrence?: number;
  /** The task running when the line was printed. */
  readonly kind: TaskKind;
  /** The phase that task ran in (a microtask inherits the phase of the macrotask it drains after). */
  readonly phase?: Phase;
  /** The agent that printed it (default 0, the main thread). */
  readonly agent?: number;
}

export interface OracleCase {
  readonly name: string;
  /** Entry file name; its extension decides how plain node runs it (.ts/.js: syntax detection, .mjs, .cjs). */
  readonly entry: string;
  readonly code: string;
  /** Further lesson files (workers, imported modules). */
  readonly files?: readonly LessonFile[];
  /** Exact stdout of plain node for a deterministic case (documents the ordering; guards the oracle itself). */
  readonly expect?: string;
  /** For an honestly nondeterministic case: every allowed stdout. Both runs must print one of them. */
  readonly allowed?: readonly string[];
  readonly tasks?: readonly TaskExpectation[];
  /** Exact stderr of both runs (console.error / console.warn), for cases that end normally. */
  readonly expectStderr?: string;
  /** Further assertions on the decoded trace (use vitest's expect). */
  readonly check?: (events: readonly DecodedEvent[]) => void;
  /** How the run ends (default: completed, exit code 0). */
  readonly end?: {
    readonly reason: EndReason;
    readonly exitCode: number;
    /** Text that both plain node's stderr and the traced stderr contain. */
    readonly stderr?: readonly string[];
  };
}

/** `lines('a', 'b')` is the stdout of two console.log calls: "a\nb\n". */
export function lines(...text: string[]): string {
  return text.map((t) => t + '\n').join('');
}
