import { setTimeout as sleep } from 'node:timers/promises';

// A mirror of some download: answers after `ms`, or fails.
async function mirror(name: string, ms: number, up: boolean): Promise<string> {
  await sleep(ms);
  if (!up) throw new Error(`${name} is down`);
  return `${name} answered`;
}

// Promise.allSettled waits for EVERY promise and never rejects: each outcome says what happened.
// @checkpoint all-settled
const outcomes = await Promise.allSettled([mirror('eu', 40, true), mirror('us', 20, false), mirror('asia', 60, true)]);
for (const outcome of outcomes) {
  if (outcome.status === 'fulfilled') console.log(`fulfilled: ${outcome.value}`);
  else console.log(`rejected: ${(outcome.reason as Error).message}`);
}

// Promise.any takes the first FULFILMENT; rejections are skipped (us fails first, eu wins).
// @checkpoint any-first
const fastest = await Promise.any([mirror('eu', 40, true), mirror('us', 20, false), mirror('asia', 60, true)]);
console.log(`any: ${fastest}`);

// ... and only when every promise rejects does it reject, with an AggregateError holding all reasons.
try {
  await Promise.any([mirror('eu', 20, false), mirror('us', 40, false)]);
} catch (error) {
  const aggregate = error as AggregateError;
  console.log(`any: ${aggregate.name}: ${aggregate.message}`);
  console.log(`reasons: ${aggregate.errors.map((e: Error) => e.message).join(', ')}`);
}
