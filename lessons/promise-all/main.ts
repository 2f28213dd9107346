import { setTimeout as sleep } from 'node:timers/promises';

// A stand-in for an HTTP call: settles after `ms`, fails when asked to.
async function fetchUser(id: number, ms: number, fail = false): Promise<string> {
  await sleep(ms);
  console.log(`user ${id} settled after ${ms} ms`);
  if (fail) throw new Error(`user ${id} not found`);
  return `user-${id}`;
}

// 1. Everything succeeds: the results come back in INPUT order, not in finishing order.
// @checkpoint all-fulfilled
const users = await Promise.all([fetchUser(1, 60), fetchUser(2, 20), fetchUser(3, 40)]);
console.log('all fulfilled:', users);

// 2. One fails: Promise.all rejects at the FIRST rejection (fail-fast) ...
try {
  // @checkpoint all-rejected
  await Promise.all([fetchUser(4, 60), fetchUser(5, 20, true), fetchUser(6, 40)]);
} catch (error) {
  console.log('all rejected:', (error as Error).message);
}

// ... but nothing is cancelled: users 6 and 4 still finish, and their results are thrown away.
await sleep(80);
console.log('done');
