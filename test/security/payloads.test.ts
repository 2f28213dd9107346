/**
 * Sandbox-escape payloads against the real runtime (runHeadless on a shared runtime host).
 *
 * For every payload: the escape marker, the canary file's secret and the secret environment variable never
 * appear in stdout, stderr, the trace's strings, the header or the end message; the payload ran to its end;
 * the host process never crashed; and a normal run right after still works.
 * If a payload escapes, its test fails — keep it failing and tell the runtime owner (see SECURITY.md).
 *
 * Run: npx vitest run test/security/payloads.test.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessResult } from '../../src/runtime/api.ts';
import { END_REASON_NAMES } from '../../src/shared/trace/schema.ts';
import { canarySecret, ESCAPE_MARKER, PROBE_COMPLETE, probePrelude } from '../support/escape-probe.ts';
import { tracedRunner } from '../support/runtime.ts';
import { makeTempDir, removeTempDir } from '../support/temp-dir.ts';
import { traceStrings } from '../support/trace-events.ts';
import { PAYLOADS } from './payloads/index.ts';

const ENV_SECRET_NAME = 'LOOPSCOPE_PAYLOAD_ENV_SECRET';
const ENV_SECRET_VALUE = `env-secret-${randomBytes(8).toString('hex')}`;
const runner = tracedRunner();
let canaryDir = '';
let canaryPath = '';
let secret = '';

beforeAll(() => {
  process.env[ENV_SECRET_NAME] = ENV_SECRET_VALUE; // set before the host starts (it starts on the first run)
  canaryDir = makeTempDir('canary');
  canaryPath = join(canaryDir, 'canary.txt');
  secret = canarySecret();
  writeFileSync(canaryPath, secret);
});
afterAll(async () => {
  await runner.dispose();
  delete process.env[ENV_SECRET_NAME];
  if (canaryDir) removeTempDir(canaryDir);
});

/** Fails with the offending text when anything the run produced shows an escape or a leaked secret. */
function expectNoEscape(result: HeadlessResult): void {
  const places: [string, string][] = [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
    ['end message', result.end.message],
    ['header', JSON.stringify(result.header)],
    ...traceStrings(result.batches).map((s, i): [string, string] => [`trace string ${i}`, s]),
  ];
  for (const [where, text] of places) {
    for (const needle of [ESCAPE_MARKER, secret.slice(-24), ENV_SECRET_VALUE]) {
      if (text.includes(needle)) {
        const line = text.split('\n').find((l) => l.includes(needle)) ?? text;
        expect.fail(`escape or leak in ${where}: ${line.slice(0, 500)}`);
      }
    }
  }
}

/** The host did not crash since `crashesBefore`, and a normal run still works. */
async function expectHostStillWorks(crashesBefore: number): Promise<void> {
  expect(runner.crashes.slice(crashesBefore), 'the runtime host crashed').toEqual([]);
  const after = await runner.run([{ path: 'main.js', text: "setTimeout(() => console.log('still ok'), 0);\n" }], 'main.js');
  expect(after.stdout, `a normal run after the payload: ${after.end.message}`).toBe('still ok\n');
  expect(END_REASON_NAMES[after.end.reason]).toBe('completed');
}

describe('sandbox escape payloads', () => {
  it(`has at least 20 payloads (has ${PAYLOADS.length})`, () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
  });

  for (const payload of PAYLOADS) {
    it(`holds: ${payload.name}`, { timeout: 90_000 }, async () => {
      const crashesBefore = runner.crashes.length;
      const files = [{ path: payload.entry, text: probePrelude(canaryPath) + payload.code }, ...(payload.files ?? [])];
      const result = await runner.run(files, payload.entry, { limits: { timeoutMs: 20_000, ...payload.limits } });
      expectNoEscape(result);
      const context = `ended: ${END_REASON_NAMES[result.end.reason]} (${result.end.message})\nstderr:\n${result.stderr.slice(0, 2000)}`;
      expect(END_REASON_NAMES[result.end.reason], context).toBe(payload.expectEnd ?? 'completed');
      expect(result.stdout, `the payload did not run to its end\n${context}`).toContain(PROBE_COMPLETE);
      for (const line of payload.expectStdout ?? []) expect(result.stdout, `${context}\nstdout:\n${result.stdout.slice(0, 3000)}`).toContain(line);
      await expectHostStillWorks(crashesBefore);
    });
  }
});

describe('real Node modules, denied by the layers around the process', () => {
  it('fs, child_process and process.env are real, and the permission model denies what lies outside the run folder', async () => {
    const code = `const fs = require('node:fs');
const tries = {
  'read the canary': () => fs.readFileSync(${JSON.stringify('__CANARY__')}, 'utf8'),
  'read /proc/<ppid>/environ': () => fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8'),
  'write outside the run folder': () => fs.writeFileSync('/tmp/loopscope-escape-' + process.pid, 'x'),
  'spawn a process': () => require('node:child_process').execFileSync('/bin/true'),
  'fork': () => require('node:child_process').fork('./main.js'),
  'load an addon': () => process.dlopen({ exports: {} }, '/nonexistent.node'),
};
for (const [what, fn] of Object.entries(tries)) {
  try { fn(); console.log(what + ': ALLOWED'); } catch (e) { console.log(what + ': ' + (e.code || e.name)); }
}
fs.writeFileSync('own.txt', 'mine');
console.log('own folder: ' + fs.readFileSync('own.txt', 'utf8'));
console.log('env keys: ' + Object.keys(process.env).length);
`.replace('__CANARY__', canaryPath);
    const result = await runner.run([{ path: 'main.js', text: code }], 'main.js');
    const out = result.stdout;
    expect(out, out).not.toContain('ALLOWED');
    for (const what of ['read the canary', 'read /proc/<ppid>/environ', 'write outside the run folder', 'spawn a process', 'fork']) {
      expect(out, out).toContain(`${what}: ERR_ACCESS_DENIED`);
    }
    expect(out, out).toMatch(/load an addon: (ERR_ACCESS_DENIED|ERR_DLOPEN_DISABLED)/);
    expect(out).toContain('own folder: mine');
    expect(out).toContain('env keys: 0');
    expect(out).not.toContain(secret.slice(-24));
  });
});

describe('runs are isolated from each other', () => {
  it('prototype and global pollution in one run is not visible in the next run', { timeout: 60_000 }, async () => {
    const polluter = `Object.prototype.polluted = 'yes';
({}).__proto__.viaProto = 'yes';
Array.prototype.map = function () { return ['hijacked']; };
const then = Promise.prototype.then;
Promise.prototype.then = function (f, r) { return then.call(this, () => console.log('hijacked then'), r); };
Function.prototype.call = function () { return 'hijacked call'; };
JSON.stringify = () => 'hijacked';
Math.random = () => 4;
globalThis.leak = 'yes';
globalThis.setTimeout = null;
console.log = () => {};
`;
    await runner.run([{ path: 'main.js', text: polluter }], 'main.js');
    const checker = `const seen = [typeof ({}).polluted, typeof ({}).viaProto, [1].map((x) => x * 2).join(), JSON.stringify({ a: 1 }),
  Math.random() < 1, typeof globalThis.leak, typeof setTimeout, Object.prototype.toString.call.call(Object.prototype.toString, [])];
console.log(seen.join(' '));
Promise.resolve('then works').then((v) => console.log(v));
setTimeout(() => console.log('timers work'), 0);
`;
    const result = await runner.run([{ path: 'main.js', text: checker }], 'main.js');
    expect(result.stdout).toBe('undefined undefined 2 {"a":1} true undefined function [object Array]\nthen works\ntimers work\n');
  });
});
