/**
 * The seam where run processes meet the OS sandbox layer (src/runtime/os-sandbox, built on its own branch):
 * `wrapCommand` turns the command that starts a run process into one that starts it inside the platform's sandbox
 * (bubblewrap, sandbox-exec, a Job object) and says which layers that added. Until that layer lands here, runs
 * start unwrapped and report no OS layer — honestly, in every run's `layers`.
 */
export interface WrapSpec {
  command: string;
  args: string[];
  runDir: string;
  readOnlyPaths: string[];
  env: Record<string, string>;
}
export interface Wrapped {
  command: string;
  args: string[];
  layers: string[];
  cleanup?: () => void;
}

export function wrapCommand(spec: WrapSpec): Wrapped {
  return { command: spec.command, args: spec.args, layers: [] };
}
