/**
 * The shape of a sandbox-escape payload, and helpers shared by the payload files.
 *
 * Each payload is lesson code that tries to reach a host object (a function, error or object
 * created outside the vm context) and, through its realm's Function constructor, Node's real `process`. The
 * shared probe (test/support/escape-probe.ts) is prepended; it prints the marker only on success.
 *
 * `expectStdout` lines prove the payload reached the code paths it meant to attack (not just that it ran).
 */
import type { LessonFile, RunLimits } from '../../../src/shared/run/contract.ts';

export const js = String.raw;

export interface Payload {
  readonly name: string;
  /** Entry file name; .js is CommonJS (sloppy mode) unless it has import/export, .mjs is an ES module. */
  readonly entry: string;
  readonly code: string;
  readonly files?: readonly LessonFile[];
  /** Substrings stdout must contain (besides "probe complete"). */
  readonly expectStdout?: readonly string[];
  readonly limits?: Partial<RunLimits>;
  /** How the run must end (END_REASON_NAMES); default "completed". */
  readonly expectEnd?: string;
}

/** Minimal wasm module: imports env.f () -> (), exports run() which calls it. */
export const WASM_BYTES = '[0,97,115,109,1,0,0,0,1,4,1,96,0,0,2,9,1,3,101,110,118,1,102,0,0,3,2,1,0,7,7,1,3,114,117,110,0,1,10,6,1,4,0,16,0,11]';

/**
 * Recurse until the stack overflows; while unwinding, call host APIs from each of the deepest frames, so that for
 * some frame the overflow happens inside host code. Whatever is thrown is kept and probed after unwinding.
 */
export function stackLimitPayload(name: string, victims: string, expectEnd?: string): Payload {
  const code = '\n' + STACK_LIMIT_TEMPLATE.replace('__VICTIMS__', victims);
  return { name, entry: 'main.js', code, limits: { maxConsoleLines: 200000 }, expectStdout: ['errors kept at the stack limit: some'], ...(expectEnd ? { expectEnd } : {}) };
}
// Re-measured per victim and round (JIT tiers change frame sizes); probing waits until the stack is unwound.
const STACK_LIMIT_TEMPLATE = String.raw`const victims = [
__VICTIMS__
];
const kept = new Array(60000);
let keptCount = 0;
let budget = 0;
let victim = null;
function dive() {
  try { dive(); } catch (e) {}
  if (budget > 0) {
    budget--;
    try { victim(); } catch (e) { if (keptCount < kept.length) kept[keptCount++] = e; }
  }
}
for (const v of victims) {
  for (let round = 0; round < 2; round++) {
    victim = v;
    budget = 1500;
    try { dive(); } catch (e) { if (keptCount < kept.length) kept[keptCount++] = e; }
  }
}
victim = null;
for (let i = 0; i < keptCount; i++) __probe('thrown at the stack limit', kept[i]);
console.log('errors kept at the stack limit: ' + (keptCount > 0 ? 'some' : 'none'));
setTimeout(__done, 10);
`;
