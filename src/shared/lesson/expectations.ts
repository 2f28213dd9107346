/**
 * Checkpoint expectations: what a lesson says is true on the stage at a checkpoint (`"expect"` in lesson.json),
 * validated as part of the lesson format and verified by `loopscope check` against the model's state at the
 * checkpoint's step. Pure: no Node, no DOM.
 *
 *   "expect": {
 *     "agent": 0,                                  // whose stack / queues / timers (default 0, the main thread)
 *     "stack": ["main script", "fetchUser"],       // names on that agent's call stack, bottom first (exact)
 *     "stackTop": "setTimeout",                    // the innermost frame's name
 *     "pendingTimers": 1, "pendingIo": 3,          // Node APIs still pending on that agent
 *     "queues": { "microtasks": 2, "timers": ["setTimeout"] },  // a count, or the cards' labels in order
 *     "console": ["start", "end"],                 // every console line printed so far, in order (all agents)
 *     "workersRunning": 1, "messagesInFlight": 0,
 *     "cells": { "0": 1, "1": 42 },                // shared memory: cell index → value (the first SharedArrayBuffer,
 *                                                  //   Atomics operations and plain writes alike)
 *     "writers": { "0": "main", "1": "worker 1" }, // shared memory: cell index → the thread that last wrote it
 *     "promisesPending": 3,
 *     "values": { "balance": "100" },              // watched bindings (// @watch balance): the stage's preview
 *     "locks": { "mutex": { "holders": ["depositSafe('alice', 100)"], "waiters": ["depositSafe('bob', 100)"] } }
 *   }                                              // by lock name: the calls that hold it and wait for it, in order,
 *                                                  //   as the stage names them (the function alone when its
 *                                                  //   arguments were not recorded)
 *
 * Every key is one expectation, each queue entry, cell, value and lock part too; `agent` only says whose.
 */
import type { RuntimeState } from '../trace/runtime-state.ts';
import { arr, int, num, obj, opt, record, str, union, validate, type Optional, type Schema } from '../schema/schema.ts';

export interface CheckpointExpect {
  readonly agent?: number;
  readonly stack?: readonly string[];
  readonly stackTop?: string;
  readonly pendingTimers?: number;
  readonly pendingIo?: number;
  readonly queues?: Readonly<Record<string, number | readonly string[]>>;
  readonly console?: readonly string[];
  readonly workersRunning?: number;
  readonly messagesInFlight?: number;
  readonly cells?: Readonly<Record<string, number>>;
  /** Cell index → the thread whose write last changed it: "main" or "worker n" (a load is not a write). */
  readonly writers?: Readonly<Record<string, string>>;
  readonly promisesPending?: number;
  readonly values?: Readonly<Record<string, string>>;
  readonly locks?: Readonly<Record<string, LockExpect>>;
}

/** A lock's holders and waiters, each named by the lesson call that asked for it (`depositSafe('bob', 100)`). */
export interface LockExpect {
  readonly holders?: readonly string[];
  readonly waiters?: readonly string[];
}

export const EXPECT_QUEUES = ['nextTick', 'microtasks', 'timers', 'check', 'poll', 'close'] as const;

const count = int({ min: 0 });
/** A map or object that must hold at least one entry. */
const nonEmpty =
  (what: string) =>
  (_v: unknown, report: (message: string) => void, _context: unknown, raw: unknown): void => {
    if (Object.keys(raw as object).length === 0) report(`must be ${what}, with at least one entry`);
  };
const texts = (noun: string): Schema<string[]> => arr(str({ max: 500 }), { max: 200, noun });
const queue = union([count, texts('card labels')], 'a count or an array of card labels in order');

/**
 * Every expectation a checkpoint may carry, described once: validation, the generated lesson JSON Schema and
 * lessons/README.md's field table all come from here. To add one, add a field (and its check in
 * `unmetExpectations`).
 */
export const EXPECT_SHAPE = {
  agent: opt(int({ min: 0, max: 64, what: 'an agent id (0 for the main thread, n for worker n)' }).describe('Whose stack, queues and timers: 0 the main thread, n worker n (default 0).')),
  stack: opt(texts('frame names').describe("Names on that agent's call stack, bottom first (exact).")),
  stackTop: opt(str({ min: 1, max: 500 }).describe("The innermost frame's name.")),
  pendingTimers: opt(count.describe('Timers scheduled and not yet expired, on that agent.')),
  pendingIo: opt(count.describe('I/O operations in flight, on that agent.')),
  queues: opt(
    obj(Object.fromEntries(EXPECT_QUEUES.map((q) => [q, opt(queue)])) as { [Q in (typeof EXPECT_QUEUES)[number]]: Optional<number | string[]> }, {
      keyNoun: 'queue',
      what: 'an object: queue name → count or card labels',
    }).describe("Queue name → number of cards, or the cards' labels in order."),
  ),
  console: opt(texts('console lines').describe('Every console line printed so far (all agents), in order.')),
  workersRunning: opt(count.describe('Workers started and not exited.')),
  messagesInFlight: opt(count.describe('Messages posted and not yet received.')),
  cells: opt(
    record(num(), { key: { pattern: /^\d{1,6}$/, message: 'cell indices are whole numbers' }, maxKeys: 1000, what: 'an object: cell index → value' }).describe(
      'Shared memory (the first SharedArrayBuffer): cell index → value.',
    ),
  ),
  writers: opt(
    record(str({ pattern: /^(?:main|worker [1-9]\d{0,2})$/, hint: 'a thread: "main" or "worker n"', what: 'a thread: "main" or "worker n"' }), {
      key: { pattern: /^\d{1,6}$/, message: 'cell indices are whole numbers' },
      maxKeys: 1000,
      what: 'an object: cell index → the thread that last wrote it',
    }).describe('Shared memory (the first SharedArrayBuffer): cell index → the thread whose write last changed it, "main" or "worker n" (a load or wait is not a write).'),
  ),
  promisesPending: opt(count.describe('Promises created and not settled.')),
  values: opt(
    record(str({ max: 200, what: 'the value\'s preview as a string, e.g. "100" or "\'bob\'"' }), {
      key: { pattern: /^[A-Za-z_$][\w$]{0,63}$/, message: 'must be a variable name (one the code watches with // @watch)' },
      maxKeys: 200,
      what: 'an object: watched variable → its value as the stage shows it, e.g. { "balance": "100" }',
    })
      .refine(nonEmpty('an object: watched variable → its value as the stage shows it, e.g. { "balance": "100" }'), { minProperties: 1 })
      .describe('Watched variables (named by a // @watch comment in the code): name → the value\'s preview as the stage shows it, e.g. "100" or "\'bob\'".'),
  ),
  locks: opt(
    record(
      obj({ holders: opt(texts('calls')), waiters: opt(texts('calls')) }, { keyNoun: 'part', what: 'an object with "holders" and/or "waiters"' }).refine(
        nonEmpty('an object with "holders" and/or "waiters"'),
        { minProperties: 1 },
      ),
      { key: { pattern: /^.{1,100}$/s, message: "must be a lock's name as the stage shows it" }, maxKeys: 200, what: 'an object: lock name → { "holders": [calls], "waiters": [calls] }' },
    )
      .refine(nonEmpty('an object: lock name → { "holders": [calls], "waiters": [calls] }'), { minProperties: 1 })
      .describe("Locks by name (the variable that holds them, or Mutex #n): the lesson calls holding and waiting for each, in order, as the stage names them: the function with its arguments (\"depositSafe('bob', 100)\"), or the function alone when its arguments were not recorded."),
  ),
};

export const EXPECT_KEYS = Object.keys(EXPECT_SHAPE) as (keyof typeof EXPECT_SHAPE)[];
const EXPECTATIONS = EXPECT_KEYS.filter((k) => k !== 'agent');

export const expectSchema: Schema<CheckpointExpect> = obj(EXPECT_SHAPE, { keyNoun: 'expectation', what: 'an object of expectations, e.g. { "pendingTimers": 1 }' })
  .refine(
    (_e, report, _context, raw) => {
      if (!Object.keys(raw as object).some((k) => k !== 'agent')) report('must hold at least one expectation besides "agent"');
    },
    { anyOf: EXPECTATIONS.map((k) => ({ required: [k] })) },
  )
  .describe('What is true on the stage at this checkpoint; `loopscope check` verifies each expectation against the state at the checkpoint\'s step.');

type Fail = (path: string, message: string) => void;

/** Validates an `expect` object (from untrusted JSON), reporting each problem by its field path; true when valid. */
export function validateExpect(x: unknown, path: string, fail: Fail): x is CheckpointExpect {
  const result = validate(expectSchema, x, { path });
  for (const issue of result.issues) fail(issue.path, issue.message);
  return result.ok;
}

/** How many expectations an `expect` holds (each queue, each cell and each cell's writer counts; `agent` does not). */
export function expectationCount(e: CheckpointExpect): number {
  let n = 0;
  for (const k of Object.keys(e) as (keyof CheckpointExpect)[]) {
    if (k === 'agent') continue;
    if (k === 'queues') n += Object.keys(e.queues ?? {}).length;
    else if (k === 'cells') n += Object.keys(e.cells ?? {}).length;
    else if (k === 'writers') n += Object.keys(e.writers ?? {}).length;
    else if (k === 'values') n += Object.keys(e.values ?? {}).length;
    else if (k === 'locks') for (const l of Object.values(e.locks ?? {})) n += Object.keys(l).length;
    else n++;
  }
  return n;
}

const show = (v: unknown): string => JSON.stringify(v);

/** Checks every expectation against the state; returns one message per expectation that does not hold. */
export function unmetExpectations(e: CheckpointExpect, state: RuntimeState): string[] {
  const out: string[] = [];
  const id = e.agent ?? 0;
  const agent = state.agents.find((a) => a?.id === id); // listed in id order, not indexed by id
  const who = id === 0 ? 'the main thread' : `worker ${id}`;
  const check = (what: string, want: unknown, got: unknown): void => {
    if (show(want) !== show(got)) out.push(`${what}: expected ${show(want)}, the stage shows ${show(got)}`);
  };
  if (e.stack !== undefined) check(`${who}'s call stack`, e.stack, agent?.stack.map((f) => f.name) ?? []);
  if (e.stackTop !== undefined) check(`top of ${who}'s call stack`, e.stackTop, agent?.stack.at(-1)?.name ?? null);
  if (e.pendingTimers !== undefined) check(`${who}'s pending timers`, e.pendingTimers, agent?.pendingTimers.length ?? 0);
  if (e.pendingIo !== undefined) check(`${who}'s pending I/O`, e.pendingIo, agent?.pendingIo.length ?? 0);
  for (const [name, want] of Object.entries(e.queues ?? {})) {
    const q = agent?.queues.find((x) => x.name === name);
    const labels = q?.tasks.map((t) => t.label) ?? [];
    if (typeof want === 'number') check(`${who}'s ${name} queue length`, want, labels.length);
    else check(`${who}'s ${name} queue`, want, labels);
  }
  if (e.console !== undefined) check('console so far', e.console, state.console.filter((l) => l.stream <= 1).flatMap((l) => l.text.replace(/\n$/, '').split('\n')));
  if (e.workersRunning !== undefined) check('workers running', e.workersRunning, state.workers.filter((w) => w.status === 'running').length);
  if (e.messagesInFlight !== undefined) check('messages in flight', e.messagesInFlight, state.messagesInFlight.length);
  if (e.promisesPending !== undefined) check('pending promises', e.promisesPending, state.promises.pending);
  const buffer = state.sharedBuffers[0];
  for (const [i, want] of Object.entries(e.cells ?? {})) {
    const cell = buffer?.cells.find((c) => c.index === Number(i));
    check(`shared cell [${i}]`, want, cell ? cell.value : null);
  }
  for (const [i, want] of Object.entries(e.writers ?? {})) {
    const writer = buffer?.cells.find((c) => c.index === Number(i))?.writer ?? -1;
    check(`last writer of shared cell [${i}]`, want, writer < 0 ? null : writer === 0 ? 'main' : `worker ${writer}`);
  }
  for (const [name, want] of Object.entries(e.values ?? {})) {
    const v = state.values.find((x) => x.name === name);
    if (!v) out.push(`watched value ${name}: expected ${show(want)}, the stage shows no assignment to ${name} yet${state.values.length ? '' : ' (is it named in a // @watch comment?)'}`);
    else check(`watched value ${name}`, want, v.value);
  }
  for (const [name, want] of Object.entries(e.locks ?? {})) {
    const lock = state.locks.find((l) => l.name === name);
    if (!lock) {
      out.push(`lock ${name}: the stage shows no such lock (${state.locks.length ? `locks: ${state.locks.map((l) => show(l.name)).join(', ')}` : 'no locks yet'})`);
      continue;
    }
    const names = (parties: readonly { readonly label: string }[]): string[] => parties.map((p) => p.label || '(unknown)');
    if (want.holders !== undefined) check(`lock ${name}'s holders`, want.holders, names(lock.holders));
    if (want.waiters !== undefined) check(`lock ${name}'s waiters`, want.waiters, names(lock.waiters));
  }
  return out;
}
