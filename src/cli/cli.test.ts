/** The `loopscope` CLI as a user runs it: output like plain node, exit codes, trace files, clear errors. */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../shared/trace/file.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/loopscope.mjs');
const FIX = join(ROOT, 'test/support/fixtures/cli');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });

describe('loopscope run', () => {
  it('prints exactly what plain node prints, and exits 0', () => {
    // Plain node runs a copy outside this repo: its package.json says "type": "module", while a lesson file is
    // typed the way Node types a file with no package.json (ES module only when it uses module syntax).
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-plain-'));
    copyFileSync(join(FIX, 'order.ts'), join(dir, 'order.ts'));
    const plain = execFileSync(process.execPath, [join(dir, 'order.ts')], { encoding: 'utf8' });
    const r = cli('run', join(FIX, 'order.ts'));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(plain);
    expect(r.stderr).toBe('');
  });

  it('passes terminal escape sequences through byte for byte, like node (only the app console filters them)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-escapes-'));
    const file = join(dir, 'escapes.ts');
    // the source holds the escapes as \x.. text; node turns them into the bytes
    writeFileSync(file, [
      String.raw`console.log('\x1b[31mred\x1b[0m \x1b[2J\x1b[H\x1b]0;title\x07 \x1b]8;;https://e.example\x1b\\link\x1b]8;;\x1b\\ \x9b6n');`,
      String.raw`process.stdout.write('progress 50%\rprogress 100%\n');`,
      String.raw`console.error('\x1b[1A\x1b[2Kerr');`,
      '',
    ].join('\n'));
    const plain = spawnSync(process.execPath, [file], { encoding: 'buffer' });
    const r = spawnSync(process.execPath, [BIN, 'run', file], { encoding: 'buffer', cwd: ROOT, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, plain.stdout)).toBe(0);
    expect(Buffer.compare(r.stderr, plain.stderr)).toBe(0);
    expect(r.stdout.includes(Buffer.from('\x1b[2J'))).toBe(true);
    expect(r.stderr.toString()).toBe('\x1b[1A\x1b[2Kerr\n');
  });

  it('passes on the exit code of process.exit(n) and says why it ended on stderr', () => {
    const r = cli('run', join(FIX, 'exit-code.ts'));
    expect(r.stdout).toBe('about to exit\n');
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(/process\.exit\(7\)/);
  });

  it('output past the console limit is cut, and the CLI says so instead of ending mid-output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-flood-'));
    writeFileSync(join(dir, 'flood.js'), "for (let i = 0; i < 10050; i++) console.log('line ' + i);\n");
    const r = cli('run', join(dir, 'flood.js'));
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(10_000);
    expect(r.stderr).toMatch(/loopscope: the console output was cut after 10,000 lines \(the run's console limit\); later lines were dropped/);
  });

  it('an uncaught error: output before it, the stack in original lines on stderr, exit 1', () => {
    const r = cli('run', join(FIX, 'throws.ts'));
    expect(r.stdout).toBe('42\n');
    expect(r.status).toBe(1);
    // plain node names a .ts file by its file: URL in stack frames (its type stripping adds a sourceURL)
    expect(r.stderr).toMatch(/TypeError: not a number: forty-two\n {4}at parse \(file:\/\/\/lesson\/throws\.ts:3:30\)/);
    expect(r.stderr).toMatch(/loopscope: The run ended with an uncaught exception/);
  });

  it('writes the own trace format and a Chrome trace Perfetto can open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-cli-'));
    const own = join(dir, 'order.loopscope.json');
    const chrome = join(dir, 'order.chrome.json');
    expect(cli('run', join(FIX, 'order.ts'), '-o', own).status).toBe(0);
    expect(cli('run', join(FIX, 'order.ts'), '--format', 'chrome', '-o', chrome).status).toBe(0);
    const trace = parseTrace(readFileSync(own, 'utf8'));
    expect(trace.count).toBeGreaterThan(20);
    expect(trace.header.entry).toBe('order.ts');
    const json = JSON.parse(readFileSync(chrome, 'utf8')) as { traceEvents: { ph: string; name?: string }[] };
    expect(json.traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name')).toBe(true);
    expect(json.traceEvents.some((e) => e.ph === 'B' || e.ph === 'X')).toBe(true);
  });

  it('--steps records statement steps; --timeout limits the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-cli-'));
    const out = join(dir, 't.json');
    expect(cli('run', join(FIX, 'order.ts'), '--steps', '-o', out).status).toBe(0);
    const trace = parseTrace(readFileSync(out, 'utf8'));
    expect(trace.header.mode).toBe('statement');
    const r = cli('run', join(ROOT, 'test/support/fixtures/cli/../../../../lessons/sync-vs-timeout'), '--timeout', '5000');
    expect(r.status).toBe(0);
  });

  it("without -o the run has no drain thread: as in plain node, an unref'd timer due when the script ends never fires", () => {
    // With a drain thread (the app's runs, and -o) it does: a named gap (test/conformance/platform.test.ts).
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-nodrain-'));
    const file = join(dir, 'unref.js');
    writeFileSync(file, "setTimeout(() => console.log('unref timer'), 5).unref();\nconst t0 = performance.now();\nwhile (performance.now() - t0 < 20);\nconsole.log('script end');\n");
    const plain = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(plain.stdout).toBe('script end\n');
    for (const flags of [[], ['--steps']]) {
      const r = cli('run', file, ...flags);
      expect(r.stdout).toBe(plain.stdout);
      expect(r.status).toBe(0);
    }
  });

  it('without -o every thread still prints all it prints, past what its ring holds; with -o the trace keeps every event', () => {
    // 2.4 M statement steps on the main thread (its ring holds ~2 M words) and 0.8 M in a worker (~0.5 M), each
    // printing as it goes: with no drain thread each agent sends what it wrote itself.
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-nodrain-'));
    const file = join(dir, 'busy.js');
    writeFileSync(file, [
      "const { Worker, isMainThread, threadId } = require('node:worker_threads');",
      'function sum(n) { let s = 0; for (let i = 0; i < n; i++) { s += i; } return s; }',
      'if (isMainThread) new Worker(__filename).on(\'exit\', (c) => console.log(\'worker exit\', c));',
      'for (let k = 0; k < 4; k++) console.log(threadId, k, sum(isMainThread ? 600_000 : 200_000));',
      '',
    ].join('\n'));
    const plain = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    const r = cli('run', file, '--steps');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').sort()).toEqual(plain.stdout.split('\n').sort()); // the threads interleave as they may
    expect(r.stdout.endsWith('worker exit 0\n')).toBe(true);
    const out = join(dir, 'busy.loopscope.json');
    const o = cli('run', file, '--steps', '-o', out);
    expect(o.stdout.split('\n').sort()).toEqual(plain.stdout.split('\n').sort());
    expect(parseTrace(readFileSync(out, 'utf8')).count).toBeGreaterThan(3_200_000);
  });

  it('a remembered OS-layer answer that no longer holds costs one failed run, not every run after it', () => {
    // The bubblewrap probe's answer is remembered in the user's cache folder (os-sandbox/verdict.ts): here a private one.
    const cache = mkdtempSync(join(tmpdir(), 'loopscope-cache-'));
    const run = () => spawnSync(process.execPath, [BIN, 'run', join(FIX, 'order.ts')], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, XDG_CACHE_HOME: cache }, timeout: 60_000 });
    const first = run();
    expect(first.status).toBe(0);
    const file = join(cache, 'loopscope', 'os-sandbox-verdict.json');
    if (!existsSync(file)) return; // no usable bubblewrap here: nothing to remember
    // As if a library had moved since: the remembered list misses libc.
    const verdict = JSON.parse(readFileSync(file, 'utf8')) as { libs: string[] };
    writeFileSync(file, JSON.stringify({ ...verdict, libs: verdict.libs.filter((l) => !/\/libc\.so/.test(l)) }));
    const broken = run();
    expect(broken.status).not.toBe(0);
    expect(existsSync(file)).toBe(false);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(existsSync(file)).toBe(true);
  });

  it('clear errors for a missing file, a syntax error and a bad option', () => {
    const missing = cli('run', 'no/such/file.ts');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder: no\/such\/file\.ts/);
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-cli-'));
    const bad = join(dir, 'bad.ts');
    spawnSync('sh', ['-c', `printf 'const a: number = 1;\\nconst b = ;\\n' > ${bad}`]);
    const syntax = cli('run', bad);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toMatch(/SyntaxError: bad\.ts:2:11/);
    const option = cli('run', join(FIX, 'order.ts'), '--colour');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/unknown option --colour/);
    const timeout = cli('run', join(FIX, 'order.ts'), '--timeout', 'soon');
    expect(timeout.stderr).toMatch(/--timeout must be a positive number/);
  });
});
