// Loaded by a warm run process while it waits for its lesson (preload.ts `warmUpTypeStripper`), so that Node starts
// its TypeScript type stripper then. Node strips a TypeScript ES module's types to tell its format, and its stripper
// takes ~100 ms to start on this machine: without this, every such lesson's first event waited for it.
const typeStripperStarted: boolean = true;
module.exports = typeStripperStarted;
