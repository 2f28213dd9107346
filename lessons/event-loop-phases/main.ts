import { openResource, readLessonFile } from '@loopscope/kit';

// Part 1 — from the main script, setTimeout(0) and setImmediate RACE: it depends on whether 1 ms has
// passed by the time the event loop starts its first turn. Run it a few times.
setTimeout(() => console.log('main: setTimeout 0'), 0);
setImmediate(() => console.log('main: setImmediate'));
console.log('main: script done');

// Part 2 — 50 ms later, read a file with real asynchronous I/O.
setTimeout(() => {
  readLessonFile('main.ts', (error, text) => {
    // @checkpoint io-callback
    console.log(`poll: read ${error ? 'failed' : 'finished'} (${text ? 'got text' : 'no text'})`);
    // We are in the poll phase. The loop goes on to check, then close callbacks, and only then to timers:
    setTimeout(() => console.log('I/O: setTimeout 0 (next turn, timers)'), 0);
    setImmediate(() => console.log('I/O: setImmediate (this turn, check)'));
    const socket = openResource('socket');
    socket.close(() => console.log('close: the socket closed (this turn, close callbacks)'));
    // Before leaving this callback, Node drains process.nextTick first, then promise jobs.
    Promise.resolve().then(() => console.log('I/O: promise job'));
    process.nextTick(() => console.log('I/O: nextTick'));
  });
}, 50);
