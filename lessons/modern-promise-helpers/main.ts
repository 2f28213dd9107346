import { setTimeout as sleep } from 'node:timers/promises';

// 1. Promise.withResolvers: a promise plus its resolve and reject, usable outside the executor.
const configReady = Promise.withResolvers<string>();
setTimeout(() => configReady.resolve('config loaded'), 20); // some other part of the program settles it
// @checkpoint with-resolvers
console.log(`withResolvers: ${await configReady.promise}`);

// 2. Promise.try: call a function that may throw synchronously or return a promise; get one promise back.
function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port)) throw new Error(`not a port: ${text}`); // a synchronous throw
  return port;
}
// @checkpoint promise-try
const ports = [Promise.try(parsePort, '8080'), Promise.try(parsePort, 'http')];
console.log('try: parsePort already ran twice, synchronously');
for (const outcome of await Promise.allSettled(ports)) {
  console.log(outcome.status === 'fulfilled' ? `try: port ${outcome.value}` : `try: rejected, ${outcome.reason.message}`);
}

// 3. Array.fromAsync: collect an async iterable into an array, one element at a time.
async function* pages(): AsyncGenerator<string> {
  for (let page = 1; page <= 3; page++) {
    await sleep(10); // fetch the next page
    yield `page ${page}`;
  }
}
// @checkpoint from-async
console.log('fromAsync:', await Array.fromAsync(pages()));
console.log('fromAsync with a mapper:', await Array.fromAsync([sleep(30, 'slow'), sleep(10, 'fast')], (s) => s.toUpperCase()));

// 4. The empty cases: Promise.any([]) rejects at once; Promise.race([]) never settles.
try {
  await Promise.any([]);
} catch (error) {
  console.log(`any([]): ${(error as AggregateError).name}, ${(error as AggregateError).errors.length} errors`);
}
const forever = Promise.race([]);
const settled = forever.then(() => 'race([]) settled');
// @checkpoint race-empty
console.log(await Promise.race([settled, sleep(50, 'race([]): still pending after 50 ms')]));
