import { pbkdf2 } from 'node:crypto';
import { readFile } from 'node:fs';
import { gzip } from 'node:zlib';

// The order in which callbacks come back, as they run (each in the poll phase).
const finished: string[] = [];
const done = (name: string) => (): void => {
  finished.push(name);
  if (finished.length === 8) report();
};

// 1. Four slow key derivations: each occupies one of libuv's 4 pool threads for a while.
// @checkpoint fill-pool
for (let i = 1; i <= 4; i++) pbkdf2('secret', `salt ${i}`, 100_000, 64, 'sha512', done(`pbkdf2 ${i}`));

// 2. Three small jobs that also need the pool: a fifth key, a tiny file read and a tiny gzip.
pbkdf2('secret', 'salt 5', 100_000, 64, 'sha512', done('pbkdf2 5'));
readFile(new URL(import.meta.url), done('readFile'));
gzip('hello', done('gzip'));

// 3. The main thread is not in the pool: its own timer fires on time.
setTimeout(done('timer'), 10);

function report(): void {
  const at = (name: string): number => finished.indexOf(name);
  const firstKey = Math.min(at('pbkdf2 1'), at('pbkdf2 2'), at('pbkdf2 3'), at('pbkdf2 4'));
  console.log(`the 10 ms timer came back first: ${at('timer') === 0}`);
  console.log(`readFile finished only after a pbkdf2 freed a thread: ${at('readFile') > firstKey}`);
  console.log(`gzip finished only after a pbkdf2 freed a thread: ${at('gzip') > firstKey}`);
  console.log(`pbkdf2 5 finished only after one of the first four: ${at('pbkdf2 5') > firstKey}`);
}
