import { defineService, request } from '@loopscope/kit';

defineService('search', { latencyMs: 20 });
defineService('reports', { latencyMs: 400 });
defineService('billing', { latencyMs: 30, healthy: false }); // answers 503

const SLOW_MS = 200;
interface Stats { calls: number; ok: number; slowest: number }
const stats = new Map<string, Stats>();

// A timing wrapper: measures any async operation, counts successes, warns about slow calls.
async function measured<T>(name: string, operation: () => Promise<T>): Promise<T> {
  const start = performance.now();
  let ok = false;
  try {
    const result = await operation();
    ok = true;
    return result;
  } finally {
    // @checkpoint record
    const ms = performance.now() - start;
    const s = stats.get(name) ?? { calls: 0, ok: 0, slowest: 0 };
    stats.set(name, { calls: s.calls + 1, ok: s.ok + (ok ? 1 : 0), slowest: Math.max(s.slowest, ms) });
    if (ms > SLOW_MS) console.log(`warning: slow ${name} call (over ${SLOW_MS} ms)`);
  }
}

const calls = ['search', 'search', 'reports', 'billing', 'search', 'billing', 'reports'];
await Promise.allSettled(calls.map((name) => measured(name, () => request(name))));

for (const [name, s] of stats) {
  const rate = Math.round((100 * s.ok) / s.calls);
  console.log(`${name}: ${s.calls} calls, ${rate}% succeeded, ${s.slowest > SLOW_MS ? 'SLOW' : 'fast'}`);
}
