// Microtasks (promise callbacks, queueMicrotask) run as soon as the current task ends —
// and the whole microtask queue drains after EVERY macrotask (a timer, an immediate, an I/O callback).

console.log('script start');

setTimeout(() => {
  console.log('timeout 1');
  Promise.resolve().then(() => console.log('microtask from timeout 1'));
}, 0);

setTimeout(() => {
  console.log('timeout 2');
  // @checkpoint schedule-immediate
  setImmediate(() => {
    console.log('immediate');
    queueMicrotask(() => console.log('microtask from the immediate'));
  });
}, 0);

queueMicrotask(() => console.log('queueMicrotask'));

Promise.resolve()
  .then(() => console.log('promise then 1'))
  .then(() => console.log('promise then 2'));

console.log('script end');
