/**
 * Decodes raw trace batches (the wire format of src/shared/trace/schema.ts) into readable events, and answers
 * "which task was running when this console line was printed?".
 *
 * Deliberately independent of the trace builder: the conformance oracle should not trust the code it checks.
 * Invariants relied on: each batch is `[kind, ...args]` rows with `EVENT_SPECS[kind].args.length` args, or a
 * packed stack word (one negative int, `~(payload << 2 | tag)`: tag 0 Enter, 1 Exit, 2 Statement; a packed Enter's
 * instance id is the agent's previous one + 1); string args index the batch's own `strings`; batches of one agent
 * arrive in order.
 */
import { EVENT_SPECS, EventKind, PHASE_NAMES, TASK_KIND_NAMES, TaskKind } from '../../src/shared/trace/schema.ts';
import type { TraceBatch } from '../../src/shared/trace/schema.ts';

export interface DecodedEvent {
  /** Position in the decoded stream (all agents, batch order). */
  readonly index: number;
  readonly agent: number;
  readonly kind: number;
  readonly name: string;
  /** Ints, with string args already replaced by their text. */
  readonly args: readonly (number | string)[];
}

const PACKED = [EventKind.Enter, EventKind.Exit, EventKind.Statement];

export function decodeBatches(batches: readonly TraceBatch[]): DecodedEvent[] {
  const out: DecodedEvent[] = [];
  const lastInstance = new Map<number, number>();
  for (const batch of batches) {
    const ints = batch.ints;
    let i = 0;
    while (i < ints.length) {
      const word = ints[i]!;
      if (word < 0) {
        const kind = PACKED[~word & 3];
        if (kind === undefined) throw new Error(`agent ${batch.agent}: unknown packed stack word ${word} at int ${i}`);
        const payload = ~word >>> 2;
        const args = [payload];
        if (kind === EventKind.Enter) {
          const instance = (lastInstance.get(batch.agent) ?? 0) + 1;
          lastInstance.set(batch.agent, instance);
          args.push(instance);
        }
        out.push({ index: out.length, agent: batch.agent, kind, name: EVENT_SPECS[kind]!.name, args });
        i += 1;
        continue;
      }
      const kind = word;
      const spec = EVENT_SPECS[kind];
      if (!spec) throw new Error(`agent ${batch.agent}: unknown event kind ${kind} at int ${i} of a batch of ${ints.length}`);
      const n = spec.args.length;
      if (i + 1 + n > ints.length) throw new Error(`agent ${batch.agent}: ${spec.name} at int ${i} is cut off (batch of ${ints.length} ints)`);
      const args: (number | string)[] = [];
      for (let a = 0; a < n; a++) {
        const v = ints[i + 1 + a]!;
        if (spec.strings.includes(a)) {
          const s = batch.strings[v];
          if (s === undefined) throw new Error(`agent ${batch.agent}: ${spec.name} refers to string ${v}, the batch has ${batch.strings.length}`);
          args.push(s);
        } else args.push(v);
      }
      if (kind === EventKind.Enter) lastInstance.set(batch.agent, args[1] as number);
      out.push({ index: out.length, agent: batch.agent, kind, name: spec.name, args });
      i += 1 + n;
    }
  }
  return out;
}

/** Every string a trace's batches carry (console text, error messages, labels, file names…). */
export function traceStrings(batches: readonly TraceBatch[]): string[] {
  return batches.flatMap((b) => [...b.strings]);
}

export interface ConsoleLine {
  readonly event: DecodedEvent;
  readonly stream: number;
  readonly text: string;
}

/**
 * The text a trace's console events print on stdout (streams 0 and 2) or stderr (1 and 3), per the schema:
 * streams 0/1 are one console call without its newline, 2/3 raw process.stdout/stderr.write text.
 */
export function renderConsole(lines: readonly ConsoleLine[], which: 'stdout' | 'stderr'): string {
  const line = which === 'stdout' ? 0 : 1;
  const raw = which === 'stdout' ? 2 : 3;
  return lines.map((l) => (l.stream === line ? l.text + '\n' : l.stream === raw ? l.text : '')).join('');
}

export function consoleLines(events: readonly DecodedEvent[]): ConsoleLine[] {
  return events
    .filter((e) => e.kind === EventKind.Console)
    .map((e) => ({ event: e, stream: e.args[0] as number, text: e.args[1] as string }));
}

export interface RunningTask {
  readonly taskId: number;
  /** undefined when the trace never scheduled this task (a bug the caller reports). */
  readonly kind: TaskKind | undefined;
  readonly phase: number;
  /** Readable, for assertion messages: "setTimeout in timers". */
  readonly describe: string;
}

/**
 * The task running in `event`'s agent when `event` happened: the innermost open TaskStart/TaskEnd pair,
 * skipping TaskKind.Emit (a synchronous EventEmitter call is not a queue: it runs inside its caller's task).
 */
export function enclosingTask(events: readonly DecodedEvent[], event: DecodedEvent): RunningTask | undefined {
  const kinds = new Map<number, TaskKind>();
  const stack: { taskId: number; phase: number }[] = [];
  for (const e of events) {
    if (e.agent !== event.agent) continue;
    if (e.index === event.index) break;
    if (e.kind === EventKind.TaskSchedule) kinds.set(e.args[0] as number, e.args[1] as TaskKind);
    else if (e.kind === EventKind.TaskStart) stack.push({ taskId: e.args[0] as number, phase: e.args[1] as number });
    else if (e.kind === EventKind.TaskEnd) {
      const id = e.args[0] as number;
      const at = stack.map((s) => s.taskId).lastIndexOf(id);
      if (at >= 0) stack.length = at;
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    const open = stack[i]!;
    const kind = kinds.get(open.taskId);
    if (kind === TaskKind.Emit) continue;
    return { taskId: open.taskId, kind, phase: open.phase, describe: describeTask(kind, open.phase) };
  }
  return undefined;
}

export function describeTask(kind: number | undefined, phase: number | undefined): string {
  const k = kind === undefined ? 'unscheduled task' : (TASK_KIND_NAMES[kind] ?? `kind ${kind}`);
  const p = phase === undefined ? '' : ` in ${PHASE_NAMES[phase] ?? `phase ${phase}`}`;
  return k + p;
}

/** A compact listing of an agent's events, for failure messages. */
export function dumpEvents(events: readonly DecodedEvent[], limit = 200): string {
  return events
    .filter((e) => e.kind !== EventKind.Time && e.kind !== EventKind.Enter && e.kind !== EventKind.Exit && e.kind !== EventKind.Statement)
    .slice(0, limit)
    .map((e) => `${e.index} a${e.agent} ${e.name} ${e.args.map((a) => (typeof a === 'string' ? JSON.stringify(a.length > 60 ? a.slice(0, 60) + '…' : a) : a)).join(' ')}`)
    .join('\n');
}
