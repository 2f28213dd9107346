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
 *     "promisesPending": 3,
 *     "values": { "balance": "100" },              // watched bindings (// @watch balance): the stage's preview
 *     "locks": { "mutex": { "holders": ["depositSafe"], "waiters": ["depositSafe"] } }  // by lock name: the functions
 *   }                                              //   that hold it and wait for it, in order
 *
 * Every key is one expectation, each queue entry, cell, value and lock part too; `agent` only says whose.
 */
import type { RuntimeState } from '../trace/runtime-state.ts';

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
  readonly promisesPending?: number;
  readonly values?: Readonly<Record<string, string>>;
  readonly locks?: Readonly<Record<string, LockExpect>>;
}

/** A lock's holders and waiters, each named by the lesson function that asked for it. */
export interface LockExpect {
  readonly holders?: readonly string[];
  readonly waiters?: readonly string[];
}

export const EXPECT_KEYS = ['agent', 'stack', 'stackTop', 'pendingTimers', 'pendingIo', 'queues', 'console', 'workersRunning', 'messagesInFlight', 'cells', 'promisesPending', 'values', 'locks'] as const;
export const EXPECT_QUEUES = ['nextTick', 'microtasks', 'timers', 'check', 'poll', 'close'] as const;

const COUNT_KEYS = ['pendingTimers', 'pendingIo', 'workersRunning', 'messagesInFlight', 'promisesPending'] as const;

type Fail = (path: string, message: string) => void;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1_000_000;
const isTextList = (x: unknown): x is string[] => Array.isArray(x) && x.length <= 200 && x.every((s) => typeof s === 'string' && s.length <= 500);

/** Validates an `expect` object (from untrusted JSON), reporting each problem by its field path; true when valid. */
export function validateExpect(x: unknown, path: string, fail: Fail): x is CheckpointExpect {
  if (!isObj(x)) return fail(path, 'must be an object of expectations, e.g. { "pendingTimers": 1 }'), false;
  const before = { n: 0 };
  const f: Fail = (p, m) => {
    before.n++;
    fail(p, m);
  };
  const keys = Object.keys(x);
  if (keys.filter((k) => k !== 'agent').length === 0) f(path, 'must hold at least one expectation besides "agent"');
  for (const k of keys) {
    const v = x[k];
    const p = `${path}.${k}`;
    if (!(EXPECT_KEYS as readonly string[]).includes(k)) f(p, `unknown expectation (allowed: ${EXPECT_KEYS.join(', ')})`);
    else if (k === 'agent') {
      if (!isCount(v) || v > 64) f(p, 'must be an agent id: 0 for the main thread, n for worker n');
    } else if ((COUNT_KEYS as readonly string[]).includes(k)) {
      if (!isCount(v)) f(p, 'must be a whole number ≥ 0');
    } else if (k === 'stack' || k === 'console') {
      if (!isTextList(v)) f(p, 'must be an array of strings');
    } else if (k === 'stackTop') {
      if (typeof v !== 'string' || v === '') f(p, 'must be a frame name');
    } else if (k === 'queues') {
      if (!isObj(v)) f(p, `must be an object: queue name → count or labels (${EXPECT_QUEUES.join(', ')})`);
      else for (const [q, want] of Object.entries(v)) {
        if (!(EXPECT_QUEUES as readonly string[]).includes(q)) f(`${p}.${q}`, `unknown queue (one of ${EXPECT_QUEUES.join(', ')})`);
        else if (!isCount(want) && !isTextList(want)) f(`${p}.${q}`, 'must be a count or an array of card labels in order');
      }
    } else if (k === 'cells') {
      if (!isObj(v)) f(p, 'must be an object: cell index → value');
      else for (const [i, want] of Object.entries(v)) {
        if (!/^\d{1,6}$/.test(i)) f(`${p}.${i}`, 'cell indices are whole numbers');
        else if (typeof want !== 'number' || !Number.isFinite(want)) f(`${p}.${i}`, 'must be a number');
      }
    } else if (k === 'values') {
      if (!isObj(v) || Object.keys(v).length === 0) f(p, 'must be an object: watched variable → its value as the stage shows it, e.g. { "balance": "100" }');
      else for (const [name, want] of Object.entries(v)) {
        if (!/^[A-Za-z_$][\w$]{0,63}$/.test(name)) f(`${p}.${name}`, 'must be a variable name (one the code watches with // @watch)');
        else if (typeof want !== 'string' || want.length > 200) f(`${p}.${name}`, 'must be the value\'s preview as a string, e.g. "100" or "\'bob\'"');
      }
    } else if (k === 'locks') {
      if (!isObj(v) || Object.keys(v).length === 0) f(p, 'must be an object: lock name → { "holders": [functions], "waiters": [functions] }');
      else for (const [name, want] of Object.entries(v)) {
        const lp = `${p}.${name}`;
        if (name === '' || name.length > 100) f(lp, 'must be a lock\'s name as the stage shows it');
        else if (!isObj(want) || Object.keys(want).length === 0) f(lp, 'must be an object with "holders" and/or "waiters"');
        else for (const [part, list] of Object.entries(want)) {
          if (part !== 'holders' && part !== 'waiters') f(`${lp}.${part}`, 'unknown (allowed: holders, waiters)');
          else if (!isTextList(list)) f(`${lp}.${part}`, 'must be an array of function names, in order');
        }
      }
    }
  }
  return before.n === 0;
}

/** How many expectations an `expect` holds (each queue and each cell counts; `agent` does not). */
export function expectationCount(e: CheckpointExpect): number {
  let n = 0;
  for (const k of Object.keys(e) as (keyof CheckpointExpect)[]) {
    if (k === 'agent') continue;
    if (k === 'queues') n += Object.keys(e.queues ?? {}).length;
    else if (k === 'cells') n += Object.keys(e.cells ?? {}).length;
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
    const names = (parties: readonly { readonly name: string }[]): string[] => parties.map((p) => p.name || '(unknown)');
    if (want.holders !== undefined) check(`lock ${name}'s holders`, want.holders, names(lock.holders));
    if (want.waiters !== undefined) check(`lock ${name}'s waiters`, want.waiters, names(lock.waiters));
  }
  return out;
}
