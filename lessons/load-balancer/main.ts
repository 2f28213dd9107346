import { defineService, health, request, setHealthy } from '@loopscope/kit';
import { setTimeout as sleep } from 'node:timers/promises';

const WEIGHTS: Record<string, number> = { 'api-a': 3, 'api-b': 1, 'api-c': 1 };
defineService('api-a', { latencyMs: 20, weight: 3 }); // a big, fast machine
defineService('api-b', { latencyMs: 150, weight: 1 });
defineService('api-c', { latencyMs: 100, weight: 1 });
let pool = Object.keys(WEIGHTS);

// 1. Round robin: each backend in turn.
let next = 0;
const roundRobin = () => pool[next++ % pool.length]!;

// 2. Smooth weighted round robin (as in nginx): api-a gets 3 of every 5 requests, spread out.
const credit: Record<string, number> = { 'api-a': 0, 'api-b': 0, 'api-c': 0 };
function weighted(): string {
  for (const b of pool) credit[b]! += WEIGHTS[b]!;
  const best = pool.reduce((a, b) => (credit[b]! > credit[a]! ? b : a));
  credit[best]! -= pool.reduce((sum, b) => sum + WEIGHTS[b]!, 0);
  return best;
}

// 3. Least connections: the backend with the fewest requests in flight (ties: the first in the list).
const inFlight: Record<string, number> = { 'api-a': 0, 'api-b': 0, 'api-c': 0 };
const leastConnections = () => pool.reduce((a, b) => (inFlight[b]! < inFlight[a]! ? b : a));

// Picks a backend per request and sends it; returns the picks. Responses arrive later (poll phase).
const pending: Promise<unknown>[] = [];
function send(pick: () => string, count: number): string[] {
  return Array.from({ length: count }, () => {
    const backend = pick();
    inFlight[backend]!++;
    // @checkpoint dispatch
    pending.push(request(backend).catch((error: Error) => error).finally(() => inFlight[backend]!--));
    return backend;
  });
}
const allResponses = () => Promise.all(pending.splice(0));

console.log(`round robin: ${send(roundRobin, 6).join(', ')}`);
console.log(`weighted 3:1:1: ${send(weighted, 5).join(', ')}`);
await allResponses();

console.log(`least connections, wave 1: ${send(leastConnections, 3).join(', ')}`);
await sleep(80); // api-a (20 ms) has answered; api-b (150 ms) and api-c (100 ms) have not
console.log(`least connections, wave 2: ${send(leastConnections, 3).join(', ')}`);
await allResponses();

// 4. Health checks: probe every backend and take the unhealthy ones out of the pool.
setHealthy('api-b', false);
const probes = await Promise.all(pool.map(async (b) => ({ backend: b, healthy: await health(b) })));
pool = probes.filter((p) => p.healthy).map((p) => p.backend);
console.log(`health check: ${probes.filter((p) => !p.healthy).map((p) => p.backend).join(', ')} is down; pool: ${pool.join(', ')}`);
next = 0;
console.log(`round robin after the health check: ${send(roundRobin, 4).join(', ')}`);
const statuses = (await allResponses()).map((r) => (r instanceof Error ? 'error' : (r as { status: number }).status));
console.log(`responses: ${statuses.join(', ')}`);
