import { once } from 'node:events';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// A slow consumer: 10 ms per item, buffering at most 2 items (highWaterMark) before it pushes back.
function slowSink(received: number[]): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: 2,
    write(item: number, _encoding, done) {
      received.push(item);
      setTimeout(done, 10);
    },
  });
}

// 1. Backpressure by hand: write() says false once the buffer is full; wait for 'drain'.
const sink = slowSink([]);
const answers = [1, 2, 3, 4].map((n) => sink.write(n));
console.log(`write() answers: ${answers.join(', ')}`);
// @checkpoint drain
await once(sink, 'drain');
console.log(`drain: the buffer is empty again (${sink.writableLength} items)`);
sink.end();

// 2. stream.pipeline: a fast producer, a transform, the slow sink. Backpressure flows upstream by itself.
let produced = 0;
let maxAhead = 0;
const received: number[] = [];
async function* numbers(): AsyncGenerator<number> {
  try {
    for (let n = 1; n <= 30; n++) {
      produced++;
      maxAhead = Math.max(maxAhead, produced - received.length);
      yield n;
    }
  } finally {
    if (produced < 30) console.log(`source: stopped after ${produced} of 30, cleaned up`);
  }
}
const double = (failOn?: number): Transform =>
  new Transform({
    objectMode: true,
    highWaterMark: 2,
    transform(n: number, _encoding, done) {
      if (n === failOn) done(new Error(`bad record ${n}`));
      else done(null, n * 2);
    },
  });
await pipeline(Readable.from(numbers(), { highWaterMark: 2 }), double(), slowSink(received));
console.log(`pipeline: ${received.length} items, never more than ${maxAhead} ahead of the sink`);

// 3. Async iteration: the loop body's await is the backpressure.
let seen = 0;
for await (const n of Readable.from([1, 2, 3], { highWaterMark: 1 })) {
  await sleep(10);
  seen += n;
}
console.log(`for await over a stream: sum ${seen}`);

// 4. An error in one stage: pipeline destroys every stage and rejects once.
produced = 0;
const lost: number[] = [];
const lastSink = slowSink(lost);
try {
  // @checkpoint failing-pipeline
  await pipeline(Readable.from(numbers(), { highWaterMark: 2 }), double(5), lastSink);
} catch (error) {
  console.log(`pipeline failed: ${(error as Error).message}; sink destroyed: ${lastSink.destroyed}`);
}
