/**
 * `@loopscope/kit` — helpers the sandbox provides to lessons (import { … } from '@loopscope/kit').
 * Everything here is honest about where its callbacks run: I/O completions really run in the poll phase.
 */
declare module '@loopscope/kit' {
  /** Reads a file of the running lesson with real asynchronous file I/O (the callback runs in the poll phase). */
  export function readLessonFile(path: string): Promise<string>;
  export function readLessonFile(path: string, callback: (error: Error | null, text?: string) => void): void;

  /** A promise that fulfils after `ms` on the timers queue (like timers/promises setTimeout). */
  export function delay(ms: number): Promise<void>;

  export interface ServiceOptions {
    /** Base latency of every response, ms. */
    latencyMs: number;
    /** Extra random latency 0..jitterMs (deterministic per service from its name). */
    jitterMs?: number;
    /** 0..1, deterministic sequence per service (seeded by its name). */
    failureRate?: number;
    /** Unhealthy services answer 503 (and `health()` says false). */
    healthy?: boolean;
    /** Weight for weighted load balancing lessons. */
    weight?: number;
  }
  export interface ServiceResponse { status: number; body: string; service: string; latencyMs: number }
  /** Declares (or reconfigures) a simulated network service. */
  export function defineService(name: string, options: ServiceOptions): void;
  /** Sends a request to a simulated service. The response arrives as a real I/O completion (poll phase) after the latency. Rejects with Error('<service>: 500 …') on simulated failure. */
  export function request(service: string, path?: string): Promise<ServiceResponse>;
  /** Health probe: resolves true/false after the service's latency. */
  export function health(service: string): Promise<boolean>;
  /** Changes a service's health at run time. */
  export function setHealthy(service: string, healthy: boolean): void;

  /** A counting semaphore; acquisitions and releases are traced as lock events (holders and waiters visible). */
  export class Semaphore {
    constructor(permits: number, name?: string);
    acquire(): Promise<() => void>;
    runExclusive<T>(fn: () => Promise<T> | T): Promise<T>;
    readonly available: number;
  }

  export interface Resource {
    readonly closed: boolean;
    /** Closes the resource; `callback` runs in the event loop's close-callbacks phase (a real handle closes). */
    close(callback?: () => void): void;
  }
  /** Opens a resource (think socket or file handle) whose close callback shows the close-callbacks phase. */
  export function openResource(name?: string): Resource;

  /** Delivers a termination signal to the lesson after `afterMs` (process.on('SIGTERM', …) handlers run). */
  export function sendSignal(signal: 'SIGTERM' | 'SIGINT', afterMs?: number): void;
}
