/**
 * The global (a registered symbol's name) where a run process keeps the tracer functions instrumented code calls.
 * Its own module: the run process's tracer and `@loopscope/kit` need the name, not the instrumenter (acorn and the
 * walker, most of what a bundle that imported index.ts would load).
 */
export const TRACER_GLOBAL = 'loopscope.tracer';
