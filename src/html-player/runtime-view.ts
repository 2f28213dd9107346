/**
 * The runtime at the cursor, one card per agent (main thread, workers): loop phase, running task, call stack (top
 * first), every queue's contents in run order, pending timers, parked async functions and pending I/O; then shared
 * memory, locks and messages in flight when the run has any. Each card has the agent's phase ring (phase-ring-view.ts). Each queue has its colour, glyph and name (palette.ts).
 */
import { PHASE_LOOK, QUEUE_LOOK, taskLook } from '../shared/scene/palette.ts';
import { CHANNELS_CAPPED, lockNote, startingWorkers } from '../shared/scene/stage-layout.ts';
import type { AgentState, RuntimeState, WorkerState } from '../shared/trace/runtime-state.ts';
import { isBroadcastMessage, isPortMessage, MAX_PORT_MESSAGES, Queue } from '../shared/trace/schema.ts';
import { fill, h } from './dom.ts';
import { phaseRing } from './phase-ring-view.ts';

const msText = (us: number): string => `${Math.round(us / 100) / 10} ms`;
const agentWord = (agent: number): string => (agent === 0 ? 'main' : `worker ${agent}`);

/** Longest list drawn per queue / timer list: a run with 100k pending timers must still step instantly. */
const MAX_ITEMS = 60;

/** The first MAX_ITEMS of `items` mapped, plus a "+N more" entry. */
function capped<T>(items: readonly T[], draw: (item: T) => HTMLElement): HTMLElement[] {
  const out = items.slice(0, MAX_ITEMS).map(draw);
  if (items.length > MAX_ITEMS) out.push(h('li', { class: 'more', text: `+${items.length - MAX_ITEMS} more` }));
  return out;
}

/** The queues a learner sees, in the order Node drains them around a macrotask. */
const SHOWN_QUEUES: readonly Queue[] = [Queue.NextTick, Queue.Microtask, Queue.Timers, Queue.Check, Queue.Poll, Queue.Close];

export class RuntimeView {
  readonly el: HTMLElement;
  readonly #body: HTMLElement;

  constructor() {
    this.#body = h('div', { class: 'body', attrs: { 'data-testid': 'runtime', tabindex: '0', role: 'region', 'aria-label': 'Runtime state' } });
    this.el = h('section', { class: 'panel runtime-panel', attrs: { 'aria-label': 'Runtime' } }, [h('h2', { text: 'Runtime' }), this.#body]);
  }

  /** `callback` names what a queued or pending task will run (`→ () => tick() main.ts:4`), '' when unknown. */
  update(state: RuntimeState, callback: Callback = () => ''): void {
    const cards: HTMLElement[] = state.agents.map((a) => agentCard(a, state, (id) => callback(a.id, id)));
    // A worker is shown from the moment `new Worker()` returns, before its thread says anything (as on the app's stage).
    for (const w of startingWorkers(state)) cards.push(startingCard(w));
    if (cards.length === 0) cards.push(h('p', { class: 'empty', text: 'Nothing has started yet: press → to step.' }));
    const extra = sharedCard(state);
    if (extra) cards.push(extra);
    fill(this.#body, cards);
  }
}

type Callback = (agent: number, taskId: number) => string;

function agentTitle(a: Pick<AgentState, 'id' | 'file'>): string {
  if (a.id === 0) return 'Main thread';
  return a.file ? `Worker ${a.id} (${a.file})` : `Worker ${a.id}`;
}

function startingCard(w: WorkerState): HTMLElement {
  return h('section', { class: 'agent', attrs: { 'data-testid': 'agent', 'data-agent': String(w.agentId) } }, [
    h('h3', {}, [agentTitle({ id: w.agentId, file: w.file }), h('span', { class: 'empty', text: 'starting: spawned, its script has not run yet' })]),
  ]);
}

function list(testid: string, items: readonly HTMLElement[], empty: string): HTMLElement {
  return items.length === 0 ? h('p', { class: 'empty', text: empty, attrs: { 'data-testid': testid } }) : h('ol', { attrs: { 'data-testid': testid } }, items);
}

function chip(text: string, color: string, glyph: string): HTMLElement {
  const li = h('li', { text: `${glyph} ${text}` });
  li.style.borderLeftColor = color;
  return li;
}

function agentCard(a: AgentState, state: RuntimeState, callback: (taskId: number) => string): HTMLElement {
  const runs = (taskId: number): string => { const c = callback(taskId); return c ? ` → ${c}` : ''; };
  const phase = PHASE_LOOK[a.phase];
  const phaseText = a.inCheckpoint ? '● draining microtasks' : phase ? `${phase.glyph} ${phase.name} phase` : 'phase unknown';
  const phaseEl = h('span', { class: 'phase', text: phaseText, attrs: { 'data-testid': 'phase' } });
  if (phase && !a.inCheckpoint) phaseEl.style.borderColor = phase.color;
  const status = a.ended ? `ended (exit code ${a.exitCode})` : a.alive ? '' : 'not started';
  const title = h('h3', {}, [agentTitle(a), phaseEl, ...(status ? [h('span', { class: 'empty', text: status })] : [])]);
  const task = a.currentTask;
  const taskLine = h('div', { class: 'task', attrs: { 'data-testid': 'current-task' }, text: task ? `Running: ${task.label} (task #${task.taskId})` : 'Running: nothing (the loop waits or moves on)' });

  const frames = capped([...a.stack].reverse(), (f) => h('li', { class: f.host ? 'host' : 'fn', text: f.host ? `${f.name} (Node API)` : f.name }));
  const stack = h('div', { class: 'stack' }, [h('h4', { text: 'Call stack (top first)' }), list('call-stack', frames, 'empty')]);

  const queues = SHOWN_QUEUES.map((q) => {
    const qs = a.queues[q];
    const look = QUEUE_LOOK[q]!;
    const tasks = qs?.tasks ?? [];
    const items = capped(tasks, (t) => {
      const k = taskLook(t.kind);
      return chip(t.label + runs(t.taskId), k.color, k.glyph);
    });
    const glyph = h('span', { class: 'glyph', text: look.glyph });
    glyph.style.color = look.color;
    const name = h('span', { class: 'qname' }, [glyph, look.name]);
    const body = items.length === 0 ? h('span', { class: 'none', text: '—' }) : h('ol', {}, items);
    return h('div', { class: 'queue', attrs: { 'data-testid': 'queue', 'data-queue': qs?.name ?? String(q), 'data-count': String(tasks.length) } }, [name, body]);
  });
  const queueBox = h('div', { class: 'queues' }, [h('h4', { text: 'Queues (next to run first)' }), ...queues]);

  const timers = capped(a.pendingTimers, (t) => chip(`${t.label} · ${msText(t.delayUs)}${t.repeat ? ' repeating' : ''} · due at ${msText(t.dueUs)}${runs(t.taskId)}`, QUEUE_LOOK[Queue.Timers]!.color, '△'));
  const timerBox = h('div', { class: 'timers' }, [h('h4', { text: `Pending timers (now ${msText(state.timeUs)})` }), list('timers', timers, 'none')]);

  const head = h('div', { class: 'head' }, [h('div', {}, [title, taskLine]), phaseRing(a.phase, a.inCheckpoint)]);
  const parts: HTMLElement[] = [head, stack, queueBox, timerBox];
  if (a.suspended.length > 0) {
    const parked = capped(a.suspended, (s) => chip(`${s.name} at ${s.how}${s.awaitedPromiseId >= 0 ? ` (promise #${s.awaitedPromiseId}: ${s.promise})` : ''}`, '#CC78BC', s.how === 'yield' ? '⏸' : '◐'));
    parts.push(h('div', { class: 'parked' }, [h('h4', { text: 'Parked (left the stack, will resume)' }), h('ol', { attrs: { 'data-testid': 'parked' } }, parked)]));
  }
  if (a.pendingIo.length > 0) {
    const io = capped(a.pendingIo, (p) => chip(p.label + runs(p.taskId), QUEUE_LOOK[Queue.Poll]!.color, '⬢'));
    parts.push(h('div', { class: 'parked' }, [h('h4', { text: 'I/O in progress' }), h('ol', {}, io)]));
  }
  return h('section', { class: 'agent', attrs: { 'data-testid': 'agent', 'data-agent': String(a.id) } }, parts);
}

function sharedCard(state: RuntimeState): HTMLElement | null {
  const rows: HTMLElement[] = [];
  for (const b of state.sharedBuffers) {
    // Each cell with its value as the program reads it and, as the app's badge shows, who last wrote it.
    const cells = b.cells.map((c) => `[${c.index}]=${c.text}${c.writer >= 0 ? ` (✎ ${agentWord(c.writer)}${c.writerTask >= 0 ? `, task ${c.writerTask}` : ''})` : ''}`).join(' ');
    const waiters = b.waiters.length > 0 ? ` · waiting: ${b.waiters.map((w) => `agent ${w.agent} on [${w.index}]`).join(', ')}` : '';
    const view = b.elementType ? ` · ${b.viewNames.length ? `${b.viewNames.join(', ')}: ` : ''}${b.elementType}` : '';
    rows.push(h('li', { text: `SharedArrayBuffer #${b.bufferId}${view}: ${cells || 'no cell touched yet'}${waiters}` }));
  }
  for (const l of state.locks) {
    // Each party by the call that asked (`depositSafe('bob', 100)`), as the app's stage names it.
    const who = (parties: RuntimeState['locks'][number]['holders']): string => parties.map((p) => p.label || (p.agent === 0 ? 'main' : `worker ${p.agent}`)).join(', ');
    const holding = l.holders.length > 0 ? `held by ${who(l.holders)}` : 'free';
    const waiting = l.waiters.length > 0 ? `; waiting: ${who(l.waiters)}` : '';
    rows.push(h('li', { attrs: { 'data-testid': 'lock' }, text: `${l.capacity === 1 ? 'Mutex' : 'Semaphore'} “${l.name}” (${l.holders.length}/${l.capacity}): ${holding}${waiting}${l.direct ? ` (${lockNote(l)})` : ''}` }));
  }
  for (const m of state.messagesInFlight) {
    const port = isPortMessage(m.messageId);
    const n = port ? m.messageId & (MAX_PORT_MESSAGES - 1) : m.messageId & 0xfffff;
    rows.push(h('li', { text: `Message #${n} in flight: ${m.from === 0 ? 'main' : `worker ${m.from}`} → ${m.target < 0 ? 'a MessagePort' : m.target === 0 ? 'main' : `worker ${m.target}`}${port ? ` via a ${isBroadcastMessage(m.messageId) ? 'Broadcast' : 'Message'}Channel` : ''}` }));
  }
  if (state.truncated.channels) rows.push(h('li', { text: CHANNELS_CAPPED }));
  if (rows.length === 0) return null;
  return h('section', { class: 'agent shared', attrs: { 'data-testid': 'shared' } }, [h('h3', { text: 'Shared between threads' }), h('ul', {}, rows)]);
}
