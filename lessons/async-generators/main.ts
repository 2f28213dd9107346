import { setTimeout as sleep } from 'node:timers/promises';

const ANIMALS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'];

// One page of an API: a cursor in, some items and the next cursor out.
async function fetchPage(cursor: number, size: number): Promise<{ items: string[]; next: number | null }> {
  await sleep(10); // a network round trip
  const items = ANIMALS.slice(cursor, cursor + size);
  return { items, next: cursor + size < ANIMALS.length ? cursor + size : null };
}

// An async generator hides the paging: callers just see a stream of batches.
async function* pages(size: number): AsyncGenerator<string[]> {
  try {
    let cursor: number | null = 0;
    while (cursor !== null) {
      console.log(`generator: fetching from ${cursor}`);
      const page = await fetchPage(cursor, size);
      // @checkpoint yield-batch
      yield page.items; // suspends until the consumer asks for the next batch
      cursor = page.next;
    }
  } finally {
    console.log('generator: closed');
  }
}

// Lazy: each page is fetched only when the for-await loop asks for it.
for await (const batch of pages(3)) {
  console.log(`consumer: ${batch.join(', ')}`);
}

// Stopping early: `break` calls the generator's return(), which runs its finally block.
for await (const batch of pages(2)) {
  console.log(`consumer: only wanted ${batch.join(', ')}`);
  break;
}
