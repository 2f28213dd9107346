/**
 * Type declarations for what lessons use, fed to Monaco's TypeScript service with `addExtraLib`, so autocomplete
 * and type errors in the editor fit lesson code: Node's globals (no DOM), the parts of the node:* modules lessons
 * use, async-mutex (its real typings) and @loopscope/kit. A run is real Node (src/runtime/process), so every Node API
 * works at run time; these declarations are a lighter subset than @types/node for the renderer's bundle.
 */
import kitTypings from 'virtual:loopscope/kit-typings';

const GLOBALS = `
declare namespace NodeJS {
  interface Timeout { ref(): this; unref(): this; hasRef(): boolean; refresh(): this; [Symbol.toPrimitive](): number; }
  interface Immediate { ref(): this; unref(): this; hasRef(): boolean; }
  interface MemoryUsage { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; }
  type Signals = 'SIGTERM' | 'SIGINT';
  interface WriteStream { write(text: string): boolean; readonly isTTY: false; readonly columns: number; }
  interface Process {
    nextTick<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void;
    exit(code?: number): never;
    exitCode: number | undefined;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly argv: string[];
    readonly execArgv: string[];
    readonly platform: string;
    readonly arch: string;
    readonly version: string;
    readonly versions: { readonly node: string };
    readonly pid: number;
    readonly ppid: number;
    title: string;
    cwd(): string;
    uptime(): number;
    hrtime: { (previous?: [number, number]): [number, number]; bigint(): bigint };
    memoryUsage: { (): MemoryUsage; rss(): number };
    cpuUsage(): { user: number; system: number };
    readonly stdout: WriteStream;
    readonly stderr: WriteStream;
    emitWarning(warning: string | Error): void;
    on(event: 'exit', listener: (code: number) => void): this;
    on(event: 'uncaughtException', listener: (error: Error) => void): this;
    on(event: 'unhandledRejection', listener: (reason: unknown, promise: Promise<unknown>) => void): this;
    on(event: Signals, listener: (signal: Signals) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener: (...args: any[]) => void): this;
    addListener(event: string, listener: (...args: any[]) => void): this;
    removeListener(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
    prependListener(event: string, listener: (...args: any[]) => void): this;
    prependOnceListener(event: string, listener: (...args: any[]) => void): this;
    emit(event: string, ...args: any[]): boolean;
    listenerCount(event: string): number;
    listeners(event: string): Function[];
  }
}
interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  debug(...data: any[]): void;
  trace(...data: any[]): void;
  table(data: any, columns?: string[]): void;
  dir(item: any, options?: { depth?: number | null }): void;
  assert(condition?: boolean, ...data: any[]): void;
  count(label?: string): void;
  countReset(label?: string): void;
  group(...label: any[]): void;
  groupEnd(): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
}
/** ES modules: what Node gives a lesson module (the sandbox's runtime fills the same fields). */
interface ImportMeta {
  /** file: URL of this module; \`new Worker(new URL('./worker.ts', import.meta.url))\` starts a sibling file. */
  readonly url: string;
  readonly filename: string;
  readonly dirname: string;
  resolve(specifier: string): string;
}
declare var console: Console;
declare var process: NodeJS.Process;
declare var global: typeof globalThis;
/** CommonJS lessons (a .js/.ts file without import/export). */
declare var require: (id: string) => any;
declare var module: { exports: any };
declare var exports: any;
declare var __filename: string;
declare var __dirname: string;
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): NodeJS.Timeout;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): NodeJS.Timeout;
declare function setImmediate<A extends unknown[]>(callback: (...args: A) => void, ...args: A): NodeJS.Immediate;
declare function clearTimeout(timeout: NodeJS.Timeout | string | number | undefined): void;
declare function clearInterval(interval: NodeJS.Timeout | string | number | undefined): void;
declare function clearImmediate(immediate: NodeJS.Immediate | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T, options?: { transfer?: Transferable[] }): T;
type Transferable = ArrayBuffer | import('node:worker_threads').MessagePort;
declare var performance: { now(): number; readonly timeOrigin: number; mark(name: string): void; measure(name: string, start?: string, end?: string): void; toJSON(): object };
declare class TextEncoder { readonly encoding: 'utf-8'; encode(input?: string): Uint8Array; }
declare class TextDecoder { readonly encoding: 'utf-8'; decode(input?: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): string; }
declare class URL { constructor(input: string, base?: string | URL); readonly href: string; readonly protocol: string; readonly pathname: string; readonly search: string; readonly hash: string; readonly host: string; readonly hostname: string; readonly origin: string; toString(): string; }
declare class Event { constructor(type: string); readonly type: string; }
declare class EventTarget {
  addEventListener(type: string, listener: (event: Event) => void, options?: { once?: boolean }): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}
declare class AbortSignal extends EventTarget {
  readonly aborted: boolean;
  readonly reason: any;
  throwIfAborted(): void;
  onabort: ((event: Event) => void) | null;
  static abort(reason?: any): AbortSignal;
  static timeout(ms: number): AbortSignal;
  static any(signals: AbortSignal[]): AbortSignal;
}
declare class AbortController { readonly signal: AbortSignal; abort(reason?: any): void; }
`;

const NODE_MODULES = `
declare module 'node:events' {
  class EventEmitter {
    constructor();
    static readonly defaultMaxListeners: number;
    static readonly errorMonitor: unique symbol;
    setMaxListeners(n: number): this;
    getMaxListeners(): number;
    on(event: string | symbol, listener: (...args: any[]) => void): this;
    addListener(event: string | symbol, listener: (...args: any[]) => void): this;
    prependListener(event: string | symbol, listener: (...args: any[]) => void): this;
    once(event: string | symbol, listener: (...args: any[]) => void): this;
    prependOnceListener(event: string | symbol, listener: (...args: any[]) => void): this;
    off(event: string | symbol, listener: (...args: any[]) => void): this;
    removeListener(event: string | symbol, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string | symbol): this;
    emit(event: string | symbol, ...args: any[]): boolean;
    listenerCount(event: string | symbol): number;
    listeners(event: string | symbol): Function[];
    rawListeners(event: string | symbol): Function[];
    eventNames(): (string | symbol)[];
  }
  function once(emitter: EventEmitter | EventTarget, event: string | symbol, options?: { signal?: AbortSignal }): Promise<any[]>;
  function on(emitter: EventEmitter, event: string | symbol, options?: { signal?: AbortSignal }): AsyncIterableIterator<any[]>;
  export { EventEmitter, once, on };
  export default EventEmitter;
}
declare module 'events' { export * from 'node:events'; export { default } from 'node:events'; }

declare module 'node:timers' {
  export const setTimeout: typeof globalThis.setTimeout;
  export const setInterval: typeof globalThis.setInterval;
  export const setImmediate: typeof globalThis.setImmediate;
  export const clearTimeout: typeof globalThis.clearTimeout;
  export const clearInterval: typeof globalThis.clearInterval;
  export const clearImmediate: typeof globalThis.clearImmediate;
  export const promises: typeof import('node:timers/promises');
}
declare module 'timers' { export * from 'node:timers'; }
declare module 'node:timers/promises' {
  export function setTimeout<T = void>(ms?: number, value?: T, options?: { signal?: AbortSignal; ref?: boolean }): Promise<T>;
  export function setImmediate<T = void>(value?: T, options?: { signal?: AbortSignal; ref?: boolean }): Promise<T>;
  export function setInterval<T = void>(ms?: number, value?: T, options?: { signal?: AbortSignal; ref?: boolean }): AsyncIterableIterator<T>;
  export const scheduler: { wait(ms: number, options?: { signal?: AbortSignal }): Promise<void>; yield(): Promise<void> };
}
declare module 'timers/promises' { export * from 'node:timers/promises'; }

declare module 'node:worker_threads' {
  import { EventEmitter } from 'node:events';
  type Transferable = ArrayBuffer | MessagePort;
  class MessagePort extends EventEmitter {
    postMessage(value: any, transferList?: readonly Transferable[]): void;
    start(): void;
    close(): void;
    ref(): void;
    unref(): void;
    on(event: 'message', listener: (value: any) => void): this;
    on(event: 'close', listener: () => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    onmessage: ((event: { data: any }) => void) | null;
  }
  class MessageChannel { readonly port1: MessagePort; readonly port2: MessagePort; }
  interface WorkerOptions { workerData?: any; name?: string; transferList?: readonly Transferable[]; resourceLimits?: object; }
  class Worker extends EventEmitter {
    constructor(filename: string | URL, options?: WorkerOptions);
    readonly threadId: number;
    postMessage(value: any, transferList?: readonly Transferable[]): void;
    terminate(): Promise<number>;
    ref(): void;
    unref(): void;
    on(event: 'message', listener: (value: any) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'exit', listener: (exitCode: number) => void): this;
    on(event: 'online', listener: () => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }
  const isMainThread: boolean;
  const parentPort: MessagePort | null;
  const workerData: any;
  const threadId: number;
  const resourceLimits: object;
  const SHARE_ENV: unique symbol;
  function markAsUntransferable(object: object): void;
  function isMarkedAsUntransferable(object: object): boolean;
  function getEnvironmentData(key: unknown): unknown;
  function setEnvironmentData(key: unknown, value: unknown): void;
  export { MessagePort, MessageChannel, Worker, WorkerOptions, Transferable, isMainThread, parentPort, workerData, threadId, resourceLimits, SHARE_ENV, markAsUntransferable, isMarkedAsUntransferable, getEnvironmentData, setEnvironmentData };
}
declare module 'worker_threads' { export * from 'node:worker_threads'; }

declare module 'node:os' {
  export interface CpuInfo { model: string; speed: number; times: { user: number; nice: number; sys: number; idle: number; irq: number } }
  export function cpus(): CpuInfo[];
  export function availableParallelism(): number;
  export const EOL: string;
  export function platform(): string;
  export function arch(): string;
  export function type(): string;
  export function release(): string;
  export function hostname(): string;
  export function homedir(): string;
  export function tmpdir(): string;
  export function endianness(): 'BE' | 'LE';
  export function totalmem(): number;
  export function freemem(): number;
  export function loadavg(): number[];
  export function uptime(): number;
}
declare module 'os' { export * from 'node:os'; }

declare module 'node:util' {
  export function inspect(value: unknown, options?: { depth?: number | null }): string;
  export namespace inspect { const custom: unique symbol; }
  export function promisify<T extends (...args: any[]) => void>(fn: T): (...args: any[]) => Promise<any>;
  export function format(format?: any, ...args: any[]): string;
  export function formatWithOptions(options: object, format?: any, ...args: any[]): string;
  export function deprecate<T extends Function>(fn: T, message: string): T;
  export function isDeepStrictEqual(a: unknown, b: unknown): boolean;
  export const types: { isPromise(v: unknown): v is Promise<unknown>; isAsyncFunction(v: unknown): boolean; isGeneratorFunction(v: unknown): boolean; isSharedArrayBuffer(v: unknown): v is SharedArrayBuffer; isTypedArray(v: unknown): boolean };
}
declare module 'util' { export * from 'node:util'; }

declare module 'node:assert' {
  function assert(value: unknown, message?: string | Error): asserts value;
  namespace assert {
    function ok(value: unknown, message?: string | Error): asserts value;
    function equal(actual: unknown, expected: unknown, message?: string | Error): void;
    function notEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function strictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function deepEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function deepStrictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    function throws(fn: () => unknown, expected?: unknown, message?: string | Error): void;
    function rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: unknown, message?: string | Error): Promise<void>;
    function fail(message?: string | Error): never;
    const strict: typeof assert;
  }
  export = assert;
}
declare module 'assert' { import assert = require('node:assert'); export = assert; }
declare module 'node:assert/strict' { import assert = require('node:assert'); export = assert; }
declare module 'assert/strict' { import assert = require('node:assert'); export = assert; }

declare module 'node:perf_hooks' { export const performance: typeof globalThis.performance; }
declare module 'perf_hooks' { export * from 'node:perf_hooks'; }
`;

export interface ExtraLib {
  readonly path: string;
  readonly content: string;
}

/** async-mutex's own declaration files, bundled from node_modules at build time. */
const asyncMutexFiles = import.meta.glob('../../../../node_modules/async-mutex/lib/*.d.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function sandboxExtraLibs(): ExtraLib[] {
  const libs: ExtraLib[] = [
    { path: 'file:///loopscope/sandbox-globals.d.ts', content: GLOBALS },
    { path: 'file:///loopscope/sandbox-modules.d.ts', content: NODE_MODULES },
    { path: 'file:///loopscope/kit.d.ts', content: kitTypings },
  ];
  for (const [path, content] of Object.entries(asyncMutexFiles)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    libs.push({ path: `file:///node_modules/async-mutex/lib/${name}`, content });
  }
  libs.push({ path: 'file:///node_modules/async-mutex/package.json', content: '{"name":"async-mutex","types":"lib/index.d.ts"}' });
  return libs;
}
