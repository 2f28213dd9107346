// Runs INSIDE the OS sandbox: a fork bomb (mode "process": node children that stay alive) or a worker bomb
// (mode "worker": threads that stay alive). Prints {"started":n,"error":"..."} as soon as creation fails or
// `max` is reached. The sandbox's task limit must stop it well before `max`.
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';

const [mode, maxText] = process.argv.slice(2);
const max = Number(maxText);
let started = 0;
let done = false;
const finish = (error) => {
  if (done) return;
  done = true;
  process.stdout.write(JSON.stringify({ started, error }) + '\n');
  process.exit(0);
};
setTimeout(() => finish('time'), 15_000);

function next() {
  if (started >= max) return finish('none');
  if (mode === 'process') {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    child.on('error', (err) => finish(err.code ?? err.message));
    child.on('spawn', () => { started++; next(); });
  } else {
    let w;
    try {
      w = new Worker('setInterval(() => {}, 1000)', { eval: true });
    } catch (err) {
      return finish(err.code ?? err.message);
    }
    w.on('error', (err) => finish(err.code ?? err.message));
    w.on('online', () => { started++; next(); });
  }
}
next();
