import { defineService, request } from '@loopscope/kit';

// Three independent requests of about 200 ms each.
const LATENCY_MS = 200;
for (const name of ['profile', 'orders', 'settings']) defineService(name, { latencyMs: LATENCY_MS });

// How many request-times did something take? (Rounded, so the answer does not depend on the machine.)
const requestTimes = (since: number) => Math.round((performance.now() - since) / LATENCY_MS);

// 1. await inside a loop: each request starts only after the previous one finished.
let start = performance.now();
for (const name of ['profile', 'orders', 'settings']) {
  // @checkpoint sequential-await
  const response = await request(name, '/me');
  console.log(`sequential: ${response.body}`);
}
console.log(`sequential took about ${requestTimes(start)} × ${LATENCY_MS} ms`);

// 2. Start all three, then await them together: the waits overlap.
start = performance.now();
// @checkpoint concurrent-start
const responses = await Promise.all(['profile', 'orders', 'settings'].map((name) => request(name, '/me')));
for (const response of responses) console.log(`concurrent: ${response.body}`);
console.log(`concurrent took about ${requestTimes(start)} × ${LATENCY_MS} ms`);
