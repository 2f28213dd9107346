/**
 * The `loopscope` command line: run a lesson or a file headless, check a lesson library, scaffold a lesson.
 * Console output of the snippet goes to stdout/stderr exactly as plain `node` would print it; diagnostics and the
 * run's end reason go to stderr. Exit code: 0 when the run completed (or called process.exit(0)), the lesson's
 * exit code for process.exit(n), 1 for errors and limits, 2 for bad usage.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DEFAULT_LIMITS } from '../shared/run/contract.ts';
import { forgetVerdict, prepareOsSandbox } from '../runtime/os-sandbox/index.ts';
import { userCacheDir } from './cache-dir.mjs';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage:
  loopscope run <file|lesson-dir> [--format loopscope|chrome|html] [-o FILE] [--steps] [--timeout MS] [--layers]
  loopscope check [lessons-dir]
  loopscope new <lesson-id> [--dir lessons-dir]
  loopscope --help | --version

run      Runs a TypeScript/JavaScript file (its sibling code files are available as workers and modules) or a
         lesson folder in the sandbox, prints its console output, and writes the trace with -o.
         --format  loopscope (default, the app's own .loopscope.json), chrome (Chrome Trace Event JSON for
                   Perfetto / chrome://tracing) or html (a standalone player page that opens offline in any browser)
         --steps   statement-level tracing (a step per statement)
         --timeout wall-clock limit in ms (default ${DEFAULT_LIMITS.timeoutMs})
         --layers  print which isolation layers were active for the run (to stderr)
check    Runs every lesson in the folder and compares its output with the lesson's expected output.
new      Scaffolds a new lesson folder.`;

interface Parsed { command: string; positional: string[]; flags: Map<string, string | true> }

const HELP = { help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsOptionsConfig;
/** The options each command takes (anything else is a usage error naming what it does take). */
const OPTIONS: Readonly<Record<string, ParseArgsOptionsConfig>> = {
  run: { ...HELP, format: { type: 'string' }, output: { type: 'string', short: 'o' }, steps: { type: 'boolean' }, timeout: { type: 'string' }, layers: { type: 'boolean' } },
  check: HELP,
  new: { ...HELP, dir: { type: 'string' } },
};

function parse(argv: string[]): Parsed {
  const [command = '', ...rest] = argv;
  const options = OPTIONS[command] ?? HELP;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(err as Error & { code?: string }, command, options);
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') flags.set(name === 'output' ? '-o' : `--${name}`, value);
    else if (value === true) flags.set(`--${name}`, true);
  }
  return { command, positional: parsed.positionals, flags };
}

/** parseArgs' errors, said the way the rest of the CLI speaks (its own messages are written for programmers). */
function usageError(err: Error & { code?: string }, command: string, options: ParseArgsOptionsConfig): UsageError {
  const name = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  const takes = Object.entries(options).map(([long, o]) => (o.short ? `-${o.short}/--${long}` : `--${long}`)).join(', ');
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${name}${OPTIONS[command] ? ` for ${command} (it takes ${takes})` : ''}`);
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(/does not take an argument/.test(err.message) ? `option ${name} takes no value` : `option ${name} needs a value${/ambiguous/.test(err.message) ? ` (write ${name}=VALUE for a value that starts with -)` : ''}`);
  }
  return new UsageError(err.message);
}

/**
 * `loopscope run`. Its run process is started first, before anything else the run needs is loaded: the OS layer's
 * probes (os-sandbox `prepareOsSandbox`) run as child processes while the runtime's modules load, then the run
 * process boots (and waits for its lesson) while the lesson is read and validated and the rest of the command loads
 * (run-command.ts).
 */
async function run(p: Parsed): Promise<number> {
  const target = p.positional[0];
  if (!target) throw new UsageError('run needs a file or a lesson folder');
  const format = (p.flags.get('--format') ?? 'loopscope') as string;
  if (format !== 'loopscope' && format !== 'chrome' && format !== 'html') throw new UsageError(`--format must be loopscope, chrome or html, not ${format}`);
  const timeout = p.flags.get('--timeout');
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new UsageError('--timeout must be a positive number of milliseconds');
  // The probe's positive answer is remembered in this user's cache folder until the next boot (os-sandbox/verdict.ts).
  const verdictDir = userCacheDir();
  const prepared = prepareOsSandbox(process.execPath, { verdictDir });
  const sandboxReady = prepared.then(() => {});
  const { startInProcessRuntime, backgroundWorkDone } = await import('../runtime/in-process.ts');
  const out = p.flags.get('-o');
  // One run, supervised from this process (in-process.ts): no runtime host process to start. Its run process starts
  // once the probe has answered. Without -o nothing keeps the trace: the run needs no drain thread (launcher.ts
  // `drainThread`), and its console output still comes out as it is printed. Its lesson follows at once: nothing to
  // warm up while it waits (launcher.ts `warmUp`).
  const runtime = startInProcessRuntime({ refill: false, sandboxReady, drainThread: out !== undefined, warmUp: false });
  try {
    let command: typeof import('./run-command.ts');
    try {
      await sandboxReady; // the run process is starting now: the rest loads while it boots
      command = await import('./run-command.ts');
    } catch (err) {
      await runtime.dispose();
      throw err;
    }
    const code = await command.runCommand(runtime, target, {
      mode: p.flags.has('--steps') ? 'statement' : 'function',
      format,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(typeof out === 'string' ? { output: out } : {}),
      layers: p.flags.has('--layers'),
    });
    // A remembered answer that no longer holds makes the run fail (its bubblewrap or Node cannot start): the next
    // run probes again. (A lesson that fails on its own costs the next run a probe, ~10 ms.)
    if (code !== 0 && (await prepared).remembered) forgetVerdict(verdictDir);
    return code;
  } finally {
    // bin/loopscope.mjs ends the process as soon as `run` returns: nothing may still be working then.
    await backgroundWorkDone();
  }
}

async function check(p: Parsed): Promise<number> {
  const { checkCommand } = await import('../services/lessons/cli.ts');
  return checkCommand(resolve(p.positional[0] ?? 'lessons'));
}

async function scaffold(p: Parsed): Promise<number> {
  const id = p.positional[0];
  if (!id) throw new UsageError('new needs a lesson id, e.g. loopscope new my-lesson');
  const { scaffoldLesson } = await import('../services/lessons/scaffold.ts');
  const dir = resolve(String(p.flags.get('--dir') ?? 'lessons'));
  const created = await scaffoldLesson(dir, id);
  process.stdout.write(`created ${relative(process.cwd(), String(created))}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  // `loopscope run … | head`: a closed pipe ends the output quietly, like node itself.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  try {
    const p = parse(argv);
    if (p.command === '--help' || p.command === '-h' || p.command === '' || p.flags.has('--help')) {
      process.stdout.write(`${USAGE}\n`);
      return p.command === '' ? 2 : 0;
    }
    if (p.command === '--version') {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`loopscope ${pkg.version} (Node ${process.version})\n`);
      return 0;
    }
    if (p.command === 'run') return await run(p);
    if (p.command === 'check') return await check(p);
    if (p.command === 'new') return await scaffold(p);
    throw new UsageError(`unknown command ${p.command}`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`loopscope: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`loopscope: ${(err as Error).message}\n`);
    return 1;
  }
}
