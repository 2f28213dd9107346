import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

// A delay histogram: a 10 ms timer inside Node records how late the loop lets it run.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const start = performance.eventLoopUtilization();

// A heartbeat every 20 ms, the way a health check or a metrics flush would run.
const beats: number[] = [];
const heartbeat = setInterval(() => beats.push(performance.now()), 20);

await sleep(100);
const blockUntil = performance.now() + 200;
while (performance.now() < blockUntil); // 200 ms of synchronous work (a huge JSON.parse, say)
console.log('blocked the loop for 200 ms');

await sleep(100);
const quietStart = performance.eventLoopUtilization();
await sleep(100); // a quiet stretch: only the heartbeat runs
const quiet = performance.eventLoopUtilization(quietStart);
const whole = performance.eventLoopUtilization(start);
clearInterval(heartbeat);
delay.disable();

const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
console.log(`heartbeats: one gap of 150 ms or more: ${gaps.filter((g) => g >= 150).length === 1}`);
console.log(`no catch-up burst after it: ${gaps.every((g) => g >= 15)}`);
console.log(`worst loop delay: at least 150 ms: ${delay.max >= 150e6}`);
console.log(`median loop delay: under 50 ms: ${delay.percentile(50) < 50e6}`);
console.log(`loop utilization over the whole run: above 30 %: ${whole.utilization > 0.3}`);
console.log(`loop utilization of the quiet 100 ms: below 30 %: ${quiet.utilization < 0.3}`);
