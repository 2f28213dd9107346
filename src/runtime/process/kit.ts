/**
 * `@loopscope/kit` in a run process (runtime v2): a real module the lesson imports, built on real Node APIs, so
 * what its callbacks do is what Node does (file reads and simulated network answers complete in the poll phase as
 * real I/O). Typings for lessons: kit/kit.d.ts. Locks are recorded in the trace through the agent's writer.
 */
import { readFile, stat } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { EventKind as K, Phase, TaskKind } from '../../shared/trace/schema.ts';
import { TRACER_GLOBAL } from '../instrument/tracer-global.ts';
import type { Agent } from './agent.ts';
import type { LockRegistry } from './locks.ts';
import { SafeMap } from './safe-collections.ts';

const tracer = (globalThis as unknown as Record<symbol, { agent: Agent; locks: LockRegistry } | undefined>)[Symbol.for(TRACER_GLOBAL)];
const agent = tracer?.agent;
const emit = (kind: number, ...args: (number | string)[]): void => { agent?.writer.emit(kind, ...args); };
const runDir = process.cwd();

/** An I/O completion callback: the I/O is pending on the stage from now, and its callback runs as an I/O task of the poll phase (where Node runs it). */
function io<A extends unknown[]>(label: string, fn: (...args: A) => void): (...args: A) => void {
  return agent ? agent.pendingTask(TaskKind.Io, label, fn) : fn;
}

function lessonPath(path: string): string {
  const clean = String(path).replace(/^\.\//, '');
  if (clean.startsWith('/') || clean.split('/').includes('..')) throw new Error(`ENOENT: no such lesson file '${path}'`);
  return `${runDir}/${clean}`;
}

export function readLessonFile(path: string): Promise<string>;
export function readLessonFile(path: string, callback: (error: Error | null, text?: string) => void): void;
export function readLessonFile(path: string, callback?: (error: Error | null, text?: string) => void): Promise<string> | void {
  // Every failure arrives the way the API promises (a callback, a rejection), never as a synchronous throw: a path
  // outside the lesson, a NUL byte or a read the permission model denies included.
  const read = (done: (err: Error | null, text?: string) => void): void => {
    try {
      readFile(lessonPath(path), 'utf8', io(`readFile ${path}`, (err, text) => (err ? done(new Error(`${err.code}: cannot read '${path}'`)) : done(null, text))));
    } catch (err) {
      const error = err instanceof Error && err.message.startsWith('ENOENT') ? err : new Error(`ENOENT: no such lesson file '${path}'`);
      process.nextTick(() => done(error));
    }
  };
  if (typeof callback === 'function') {
    read(callback);
    return undefined;
  }
  return new Promise((resolve, reject) => read((err, text) => (err ? reject(err) : resolve(text!))));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Service { latencyMs: number; jitterMs: number; failureRate: number; healthy: boolean; weight: number; random: () => number }
const services = new SafeMap<string, Service>();
function hash(s: string): number { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
function rng(seed: number): () => number {
  let a = seed;
  return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
export function defineService(name: string, options: { latencyMs: number; jitterMs?: number; failureRate?: number; healthy?: boolean; weight?: number }): void {
  services.set(String(name), {
    latencyMs: +options.latencyMs || 0, jitterMs: +(options.jitterMs ?? 0) || 0, failureRate: +(options.failureRate ?? 0) || 0,
    healthy: options.healthy !== false, weight: options.weight ?? 1, random: rng(hash(String(name))),
  });
}
function serviceOf(name: string): Service {
  const svc = services.get(String(name));
  if (!svc) throw new Error(`Unknown service '${String(name)}': declare it first with defineService('${String(name)}', { latencyMs })`);
  return svc;
}
/**
 * A real I/O completion after `latencyMs`: pending I/O on the stage from now, its callback in the poll phase. The
 * latency is a timer the trace does not show: to the lesson it is the network's time, not a timer of its own.
 */
function ioAfter(latencyMs: number, done: () => void, label = 'I/O'): void {
  const complete = io(label, () => done());
  (agent?.untracedSetTimeout ?? setTimeout)(() => stat(runDir, () => complete()), latencyMs);
}
export function request(name: string, path = '/'): Promise<{ status: number; body: string; service: string; latencyMs: number }> {
  const svc = serviceOf(name);
  const latency = Math.round(svc.latencyMs + svc.jitterMs * svc.random());
  const failed = !svc.healthy || svc.random() < svc.failureRate;
  return new Promise((resolve, reject) => {
    ioAfter(latency, () => {
      if (!svc.healthy) reject(new Error(`${name}: 503 Service Unavailable`));
      else if (failed) reject(new Error(`${name}: 500 Internal Server Error`));
      else resolve({ status: 200, body: `ok ${name}${path}`, service: String(name), latencyMs: latency });
    });
  });
}
export function health(name: string): Promise<boolean> {
  const svc = serviceOf(name);
  return new Promise((resolve) => ioAfter(Math.round(svc.latencyMs), () => resolve(svc.healthy)));
}
export function setHealthy(name: string, healthy: boolean): void { serviceOf(name).healthy = !!healthy; }

let lockSeq = 0;
export class Semaphore {
  #permits: number;
  #held = 0;
  #waiting: (() => void)[] = [];
  #id: number;
  /** Grants so far: each release says which one it gives back (LockReleasing). */
  #grants = 0;
  constructor(permits: number, name = 'Semaphore') {
    this.#permits = permits | 0;
    this.#id = ++lockSeq;
    emit(K.LockDefine, this.#id, String(name), this.#permits);
  }
  get available(): number { return this.#permits - this.#held; }
  acquire(): Promise<() => void> {
    tracer?.locks.requested(this.#id); // named by the lesson call that asked, when one is under way
    emit(K.Lock, this.#id, 0, this.#held, this.#waiting.length + 1);
    return new Promise((resolve) => {
      const grant = (): void => {
        this.#held++;
        const grant = ++this.#grants;
        emit(K.Lock, this.#id, 1, this.#held, this.#waiting.length);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.#held--;
          emit(K.LockReleasing, this.#id, grant);
          emit(K.Lock, this.#id, 2, this.#held, this.#waiting.length);
          this.#waiting.shift()?.();
        });
      };
      if (this.#held < this.#permits) grant(); else this.#waiting.push(grant);
    });
  }
  async runExclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try { return await fn(); } finally { release(); }
  }
}

/** Delivers a real SIGTERM/SIGINT to this process after `afterMs` (handlers run as Node runs them). */
export function sendSignal(signal: 'SIGTERM' | 'SIGINT', afterMs = 0): void {
  if (signal !== 'SIGTERM' && signal !== 'SIGINT') throw new TypeError('sendSignal supports SIGTERM and SIGINT');
  setTimeout(() => {
    emit(K.Signal, signal);
    process.kill(process.pid, signal);
  }, +afterMs || 0);
}

/** A resource whose close callback runs in the close-callbacks phase: a real handle closes underneath. */
export function openResource(name = 'resource'): { readonly closed: boolean; close(callback?: () => void): void } {
  let closed = false;
  const label = String(name);
  return {
    get closed() { return closed; },
    close(callback?: () => void) {
      if (closed) throw new Error(`Resource ${label} is already closed`);
      closed = true;
      // The kit's own channel, not one of the lesson's: untraced (its close is no MessageChannel close of the lesson).
      agent?.beginInternal();
      let channel: MessageChannel;
      try { channel = new MessageChannel(); } finally { agent?.endInternal(); }
      const { port1 } = channel;
      port1.on('close', () => {
        if (!agent) { if (typeof callback === 'function') callback(); return; }
        agent.runTask(TaskKind.Close, Phase.Close, `close ${label}`, () => { if (typeof callback === 'function') callback(); });
      });
      port1.close();
    },
  };
}
