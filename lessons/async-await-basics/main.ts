// An async function runs synchronously until its first `await`. There it SUSPENDS: it leaves the call
// stack, and the caller continues. When the awaited promise settles, it RESUMES as a microtask.

async function boilWater(): Promise<string> {
  console.log('3. boilWater runs synchronously, like any function');
  return 'hot water';
}

async function makeTea(): Promise<string> {
  console.log('2. makeTea starts');
  // @checkpoint await-suspends
  const water = await boilWater();
  // @checkpoint resumed
  console.log(`5. makeTea resumes with ${water}`);
  return 'tea';
}

setTimeout(() => console.log('7. a timer: it had to wait for every microtask'), 0);

console.log('1. calling makeTea');
const cup = makeTea();
console.log('4. makeTea returned a pending promise; the script goes on');
cup.then((drink) => console.log(`6. the caller's .then gets ${drink}`));
