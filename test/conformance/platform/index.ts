/**
 * The platform programs beyond platform-cases.ts's own, grouped by area (ordering, workers, console/inspect,
 * errors/process, syntax/modules/stacks, syntax the instrumentation rewrites). Each program was run 5× with plain
 * node 24 and printed the same every time; platform-cases.ts appends them to PLATFORM_CASES.
 */
import { CALLBACK_FRAME_CASES } from './callback-frames.ts';
import { CALL_SITE_CASES } from './call-site-positions.ts';
import { CONSOLE_CASES } from './console-inspect.ts';
import { ERROR_CASES } from './errors-process.ts';
import { INSTRUMENTED_SYNTAX_CASES } from './instrumented-syntax.ts';
import { LISTENER_STACK_CASES } from './listener-stacks.ts';
import { ORDERING_CASES } from './ordering.ts';
import { PROCESS_FLAG_CASES } from './process-flags.ts';
import { STACK_POSITION_CASES } from './stack-positions.ts';
import { SYNTAX_CASES } from './syntax-modules-stacks.ts';
import { WORKER_CASES } from './workers.ts';
import type { PlatformCase } from '../platform-cases.ts';

export const MORE_PLATFORM_CASES: readonly PlatformCase[] = [...ORDERING_CASES, ...WORKER_CASES, ...CONSOLE_CASES, ...ERROR_CASES, ...SYNTAX_CASES, ...STACK_POSITION_CASES, ...CALLBACK_FRAME_CASES, ...PROCESS_FLAG_CASES, ...INSTRUMENTED_SYNTAX_CASES, ...LISTENER_STACK_CASES, ...CALL_SITE_CASES];
