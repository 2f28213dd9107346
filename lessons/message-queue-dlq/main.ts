import { setTimeout as sleep } from 'node:timers/promises';

interface Message { id: string; priority: number; body: string; attempts: number }
const MAX_ATTEMPTS = 3;

class MessageQueue {
  readonly #ready: Message[] = [];
  readonly deadLetters: Message[] = [];
  #wake: (() => void) | null = null;

  publish(message: Message): void {
    this.#ready.push(message);
    this.#ready.sort((a, b) => b.priority - a.priority); // highest priority first (stable for equals)
    this.#wake?.();
  }

  async receive(): Promise<Message> {
    while (this.#ready.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#ready.shift()!;
  }

  ack(message: Message): void {
    console.log(`ack ${message.id} (attempt ${message.attempts + 1})`);
  }

  // A failed delivery: retry later with exponential backoff, or give up into the dead-letter queue.
  nack(message: Message, reason: string): void {
    message.attempts++;
    if (message.attempts >= MAX_ATTEMPTS) {
      this.deadLetters.push(message);
      console.log(`${message.id} -> dead-letter queue after ${message.attempts} attempts (${reason})`);
      return;
    }
    const delayMs = 20 * 2 ** (message.attempts - 1); // 20 ms, then 40 ms
    console.log(`nack ${message.id} (${reason}); redelivery in ${delayMs} ms`);
    // @checkpoint redeliver
    setTimeout(() => this.publish(message), delayMs);
  }
}

const seenFlaky = new Set<string>();
async function handle(message: Message): Promise<void> {
  await sleep(5); // the work
  if (message.body === 'poison') throw new Error('cannot parse body');
  if (message.body === 'flaky' && !seenFlaky.has(message.id)) {
    seenFlaky.add(message.id);
    throw new Error('database busy');
  }
}

const queue = new MessageQueue();
for (const [id, priority, body] of [['m1', 1, 'ok'], ['m2', 5, 'poison'], ['m3', 1, 'flaky'], ['m4', 9, 'ok']] as const) {
  queue.publish({ id, priority, body, attempts: 0 });
}

// One consumer: receive, handle, then ack or nack. Stops once every message is acked or dead.
const acked: string[] = [];
while (acked.length + queue.deadLetters.length < 4) {
  const message = await queue.receive();
  try {
    await handle(message);
    queue.ack(message);
    acked.push(message.id);
  } catch (error) {
    queue.nack(message, (error as Error).message);
  }
}
console.log(`acked: ${acked.join(', ')}; dead letters: ${queue.deadLetters.map((m) => m.id).join(', ')}`);
