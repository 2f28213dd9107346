import { setImmediate as yieldToLoop } from 'node:timers/promises';

interface Task {
  name: string;
  priority: number; // higher runs first
  slices: number; // slices of work left
}

// A tiny cooperative scheduler: run one slice of the most urgent task, then give the event loop a turn.
const ready: Task[] = [];
function schedule(task: Task): void {
  ready.push(task);
  ready.sort((a, b) => b.priority - a.priority); // a priority queue (tiny, so a sorted array will do)
}

function doSlice(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a slice of CPU-bound work, kept short on purpose
  }
}

async function runScheduler(): Promise<void> {
  while (ready.length > 0) {
    const task = ready[0]!;
    doSlice(5);
    task.slices--;
    console.log(`${task.name}: slice done, ${task.slices} left`);
    if (task.slices === 0) ready.shift();
    // @checkpoint yield
    await yieldToLoop(); // let timers, I/O and messages run before the next slice
  }
}

schedule({ name: 'report', priority: 1, slices: 2 });
schedule({ name: 'thumbnail', priority: 2, slices: 2 });
// Something urgent comes in from outside (a timer here; a request in real life).
setTimeout(() => {
  console.log('timer: an urgent task arrives');
  schedule({ name: 'urgent', priority: 9, slices: 1 });
}, 1);
await runScheduler();
console.log('all tasks done');
