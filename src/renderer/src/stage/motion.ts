/**
 * Stage motion: one crossfade pair shared by every area, so a task card keyed `t0:7` flies from the Node-API
 * area to its queue to the call stack. Motion plays only for small moves of the cursor (a step or a task, forward
 * or back); a seek far away, and everything under reduced motion, simply cuts — without measuring elements, so
 * a jump stays cheap. Svelte runs transitions as Web Animations, which the idle hook waits for.
 */
import { flip as svelteFlip } from 'svelte/animate';
import { cubicOut } from 'svelte/easing';
import { crossfade, fade, type TransitionConfig } from 'svelte/transition';

export const MOVE_MS = 380;

type Transition = (node: Element, params: { key: unknown }) => TransitionConfig | (() => TransitionConfig);
type Animation = (node: Element, rects: { from: DOMRect; to: DOMRect }, params?: { duration?: number }) => { duration?: number; delay?: number; easing?: (t: number) => number; css?: (t: number, u: number) => string };

export interface StageMotion {
  readonly send: Transition;
  readonly receive: Transition;
  readonly flip: Animation;
  /** Duration for flips and fades (0 when motion is off). */
  duration(): number;
}

const NONE: TransitionConfig = { duration: 0 };

/** `active()`: whether this update should animate (not reduced, and the cursor moved a little). */
export function createMotion(active: () => boolean): StageMotion {
  const duration = (): number => (active() ? MOVE_MS : 0);
  const [send, receive] = crossfade({
    duration: () => MOVE_MS,
    easing: cubicOut,
    fallback: (node) => fade(node, { duration: MOVE_MS / 2 }),
  });
  return {
    send: (node, params) => (active() ? send(node, params) : NONE),
    receive: (node, params) => (active() ? receive(node, params) : NONE),
    flip: (node, rects, params) => (active() ? svelteFlip(node, rects, { duration: MOVE_MS, ...params }) : { duration: 0 }),
    duration,
  };
}

export const MOTION_KEY = Symbol('stage-motion');

/** Moves of the cursor up to this many events animate (a step, or a task step); longer jumps cut. */
export const ANIMATE_MAX_STEPS = 200;
