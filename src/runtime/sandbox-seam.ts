/**
 * The seam where run processes meet the OS sandbox layer (os-sandbox/): `wrapCommand` turns the command that starts
 * a run process into one that starts it inside the platform's sandbox (bubblewrap, sandbox-exec) and says which
 * layers that added — or why there is none here. Runs always start through this seam.
 */
export { DEFAULT_OS_LIMITS, wrapCommand, type CgroupMemory, type WrapSpec, type Wrapped } from './os-sandbox/index.ts';
