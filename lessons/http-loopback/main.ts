import { once } from 'node:events';
import { Agent, createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// Which phase is the current callback in? From a poll callback the loop goes on to check (immediates) before the
// next turn's timers; after a close callback the turn is over, so an already-due timer runs first.
function phaseOfThisCallback(): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    setTimeout(() => resolve('close callbacks (the next turn\'s timer ran first)'), 0);
    setImmediate(() => resolve('poll phase (setImmediate ran first)'));
  });
  const start = performance.now();
  while (performance.now() - start < 3); // by the time this callback returns, the 1 ms timer is due
  return answer;
}

// 1. A real HTTP server on the loopback interface; port 0 lets the OS pick a free port.
let connections = 0;
const server = createServer((request, response) => response.end(`hello from ${request.url}`));
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

// 2. Two requests through a keep-alive agent: the second reuses the first one's connection.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
async function fetchText(path: string): Promise<string> {
  const [response] = (await once(get({ host: '127.0.0.1', port, path, agent }), 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of response) body += chunk;
  return body;
}
console.log(await fetchText('/first'));
// @checkpoint second-request
console.log(await fetchText('/second'));
console.log(`connections the server accepted: ${connections}`);

// 3. Where the callbacks run: a response arrives in the poll phase; a socket's 'close' in close callbacks.
const responsePhase = new Promise<string>((resolve) => {
  get({ host: '127.0.0.1', port, path: '/third', agent }, (response) => {
    response.resume();
    response.on('end', () => resolve(phaseOfThisCallback()));
  });
});
console.log(`response 'end': ${await responsePhase}`);
const [socket] = Object.values(agent.freeSockets).flat(); // the one kept-alive connection, idle now
const closePhase = new Promise<string>((resolve) => socket!.on('close', () => resolve(phaseOfThisCallback())));
agent.destroy(); // close the client's idle connection
console.log(`socket 'close': ${await closePhase}`);

// 4. Shut down: the server stops accepting, and calls back once its last connection has ended.
// @checkpoint server-close
server.close(() => console.log('server closed: no connections left'));
