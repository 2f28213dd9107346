import { once } from 'node:events';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

class Point {
  x: number;
  y: number;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
  get length(): number {
    return Math.hypot(this.x, this.y);
  }
}

if (!isMainThread) {
  // The worker describes what arrived: its class, and for a buffer its size.
  parentPort!.on('message', (value: unknown) => {
    // @checkpoint worker-receives
    const size = value instanceof ArrayBuffer ? `, ${value.byteLength} bytes` : '';
    parentPort!.postMessage(`${Object.getPrototypeOf(value).constructor.name}${size}`);
    if (value === 'stop') parentPort!.close();
  });
} else {
  // 1. structuredClone (the algorithm postMessage uses) copies deeply: Maps, Sets, Dates, even cycles.
  const order = { id: 7, tags: new Set(['urgent']), placed: new Date(0), items: new Map([['apple', 3]]) };
  const withCycle = { order, self: undefined as unknown };
  withCycle.self = withCycle;
  const copy = structuredClone(withCycle);
  console.log(`copy: a new object: ${copy.order !== order}; Set, Map, Date kept: ${copy.order.tags.has('urgent') && copy.order.items.get('apple') === 3 && copy.order.placed instanceof Date}; cycle kept: ${copy.self === copy}`);

  // 2. It refuses functions...
  try {
    structuredClone({ total: 3, format: () => '3 items' });
  } catch (error) {
    console.log(`function: ${(error as Error).name}`);
  }
  // ...and loses prototypes: a class instance arrives as a plain object with its own fields only.
  const point = structuredClone(new Point(3, 4));
  console.log(`class instance: Point? ${point instanceof Point}; fields x=${point.x}, y=${point.y}; getter length: ${point.length}`);

  // 3. postMessage to a worker: the same algorithm, plus a transfer list.
  const worker = new Worker(new URL(import.meta.url));
  async function send(value: unknown, transfer: ArrayBuffer[] = []): Promise<string> {
    worker.postMessage(value, transfer);
    const [reply] = await once(worker, 'message');
    return reply;
  }
  console.log(`worker got a Point as: ${await send(new Point(1, 2))}`);

  const copied = new ArrayBuffer(1024 * 1024);
  const copiedReply = await send(copied); // copied: both threads now hold 1 MB
  console.log(`copy: worker got ${copiedReply}; sender still has ${copied.byteLength} bytes`);

  const moved = new ArrayBuffer(1024 * 1024);
  // @checkpoint transfer
  const movedReply = await send(moved, [moved]); // transferred: the memory moves, nothing is copied
  console.log(`transfer: worker got ${movedReply}; sender now has ${moved.byteLength} bytes (detached)`);

  try {
    worker.postMessage({ onDone: () => {} });
  } catch (error) {
    console.log(`postMessage with a function: ${(error as Error).name}, thrown in the sender`);
  }
  await send('stop');
}
