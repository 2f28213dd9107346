import { Mutex } from 'async-mutex';
import { setTimeout as sleep } from 'node:timers/promises';

// @watch balance
let balance = 0;

// Read, await, write: while this deposit waits, the others read the same old balance.
async function depositUnsafe(who: string, amount: number): Promise<void> {
  const current = balance;
  await sleep(10); // e.g. a database round trip
  // @checkpoint lost-update
  balance = current + amount;
  console.log(`${who}: wrote ${balance}`);
}

await Promise.all([depositUnsafe('alice', 100), depositUnsafe('bob', 100), depositUnsafe('carol', 100)]);
console.log(`without a lock: balance = ${balance} (expected 300)`);

// The same code inside a mutex: one deposit at a time; the others wait in line for the lock.
const mutex = new Mutex();
balance = 0;

async function depositSafe(who: string, amount: number): Promise<void> {
  await mutex.runExclusive(async () => {
    // @checkpoint holds-lock
    const current = balance;
    await sleep(10);
    balance = current + amount;
    console.log(`${who}: wrote ${balance} while holding the lock`);
  });
}

await Promise.all([depositSafe('alice', 100), depositSafe('bob', 100), depositSafe('carol', 100)]);
console.log(`with a mutex: balance = ${balance}`);
