import { setTimeout as sleep } from 'node:timers/promises';

async function saveAuditLog(order: string): Promise<void> {
  await sleep(10);
  throw new Error(`audit log unavailable (${order})`);
}

// 1. A global handler: Node calls it instead of crashing. Good for logging — not a fix.
process.on('unhandledRejection', (reason) => {
  console.log(`unhandledRejection handler: ${(reason as Error).message}`);
});

async function checkout(order: string): Promise<void> {
  // @checkpoint forgotten-await
  saveAuditLog(order); // BUG: no await — nobody will ever handle this promise's rejection
  console.log(`${order}: checkout finished (too early: the audit is still running)`);
}
await checkout('order 1');
await sleep(30);

// 2. The fix: await it, inside try/catch.
try {
  await saveAuditLog('order 2');
} catch (error) {
  console.log(`caught: ${(error as Error).message}`);
}

// 3. Without a handler, Node's default (--unhandled-rejections=throw) crashes the process.
process.removeAllListeners('unhandledRejection');
await checkout('order 3');
await sleep(30);
console.log('never printed: the process has crashed');
