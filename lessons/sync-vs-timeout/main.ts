// Synchronous code always runs to completion before any callback — even a setTimeout of 0 ms.

function greet(name: string): void {
  console.log(`hello, ${name}`);
}

console.log('script start');

// @checkpoint schedule-timer
setTimeout(() => {
  console.log('timeout callback');
}, 0);

// The timer is waiting for its 1 ms, and even once it expires, the call stack is still busy with the script.
greet('Ada');
greet('Grace');

// @checkpoint script-end
console.log('script end');
