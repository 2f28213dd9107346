import { defineService, request } from '@loopscope/kit';

defineService('inventory', { latencyMs: 20 });
defineService('payments', { latencyMs: 30, healthy: false }); // always answers 503
defineService('email', { latencyMs: 10 });
const services = ['inventory', 'payments', 'email'];

// 1. A rejected promise becomes a thrown error at the `await`: try/catch works as usual.
try {
  // @checkpoint await-throws
  await request('payments', '/charge');
  console.log('never printed');
} catch (error) {
  console.log(`caught: ${(error as Error).message}`);
} finally {
  console.log('finally: runs either way');
}

// 2. One failure inside Promise.all throws away every result.
try {
  await Promise.all(services.map((name) => request(name)));
} catch (error) {
  console.log(`Promise.all failed: ${(error as Error).message}`);
}

// 3. Isolate failures: each call handles its own error, so one bad service cannot stop the rest.
async function callSafely(name: string): Promise<string> {
  try {
    const response = await request(name);
    return `${name}: ${response.status}`;
  } catch (error) {
    // @checkpoint isolated-failure
    return `${name}: failed (${(error as Error).message}), using a fallback`;
  }
}
for (const line of await Promise.all(services.map(callSafely))) console.log(line);
