import { once } from 'node:events';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const ROUNDS = 100_000;
// Slots of one shared Int32Array:
const PLAIN = 0; // incremented like ++ (read, add, write: separate steps)
const ATOMIC = 1; // incremented with Atomics.add (one indivisible step)
const GO = 2; // 0 until main says go
const READY = 3; // how many workers are waiting for GO
const WINNER = 4; // the first worker to finish, claimed with compareExchange

if (isMainThread) {
  const cells = new Int32Array(new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT));
  const workers = [1, 2].map((id) => new Worker(new URL(import.meta.url), { workerData: { cells, id } }));

  // Wait (without blocking the main thread) until both workers are parked on GO.
  let ready = 0;
  while ((ready = Atomics.load(cells, READY)) < 2) {
    // { async: true, value: promise } if it must wait; { async: false, value: 'not-equal' } if READY moved on.
    const result = Atomics.waitAsync(cells, READY, ready);
    if (result.async) await result.value;
  }
  // @checkpoint go
  Atomics.store(cells, GO, 1);
  Atomics.notify(cells, GO); // wake every worker sleeping in Atomics.wait on GO

  await Promise.all(workers.map((w) => once(w, 'exit')));
  const plain = cells[PLAIN];
  console.log(`plain ++: ${plain === 2 * ROUNDS ? 'no update lost this time (a lucky run)' : 'updates were lost'}`);
  console.log(`Atomics.add: ${Atomics.load(cells, ATOMIC)} of ${2 * ROUNDS}`);
  console.log(`compareExchange: exactly one winner: ${[1, 2].includes(Atomics.load(cells, WINNER))}`);
} else {
  const { cells, id } = workerData as { cells: Int32Array; id: number };
  Atomics.add(cells, READY, 1);
  Atomics.notify(cells, READY);
  // @checkpoint wait-go
  Atomics.wait(cells, GO, 0); // sleeps (blocks this thread) while GO is 0
  for (let i = 0; i < ROUNDS; i++) {
    const seen = cells[PLAIN]!; // plain ++ is a read ...
    cells[PLAIN] = seen + 1; // ... and a write: the other thread may have written in between
    Atomics.add(cells, ATOMIC, 1);
  }
  Atomics.compareExchange(cells, WINNER, 0, id); // only succeeds if nobody claimed it yet
}
