/**
 * The main-process smoke test: loads the *built* out/main/index.js (run `electron-vite build` first) under plain
 * Node, with `electron` resolved to an Electron-shaped stand-in that enforces Electron 45's documented ordering
 * rules (electron-stand-in.ts), and drives it like Electron and the renderer would.
 *
 *   node test/main-smoke/run.ts            runs every scenario, each in its own process (main is a module with
 *                                          side effects: one start-up per process)
 *   node test/main-smoke/run.ts <scenario> runs one: app | second-instance | start-failure
 *
 * Exit code 0 when every check held; each check prints one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contentSecurityPolicy, CSP_NONCE_PLACEHOLDER } from '../../src/services/security/csp.ts';
import { EndReason } from '../../src/shared/trace/schema.ts';
import { consoleLines, decodeBatches, renderConsole } from '../support/trace-events.ts';
// The stand-in is the module main gets for `electron` (same URL, so the same instance): see the resolve hook below.
import { app, ipcMain, nativeTheme, session, standIn } from './electron-stand-in.ts';
import { AUDIENCE_CANNOT_PROVE, audienceChecks, classSessionChecks, snapshotChecks } from './classroom.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STAND_IN_URL = new URL('./electron-stand-in.ts', import.meta.url).href;
const MAIN = join(ROOT, 'out', 'main', 'index.js');
const SCENARIOS = ['app', 'second-instance', 'start-failure'] as const;
type Scenario = (typeof SCENARIOS)[number];

const CANNOT_PROVE = [
  'Chromium itself: rendering, the CSP as Chromium enforces it, Monaco and its workers in the app window',
  "the preload inside a real sandboxed renderer (here the built preload runs in a vm context with Electron's sandboxed require)",
  'native menus, dialogs and the Dock/taskbar; the OS sandbox of the renderer',
  "Electron's own fork under ELECTRON_RUN_AS_NODE and its macOS helper executable (here the host is forked by Node)",
  ...AUDIENCE_CANNOT_PROVE,
];

const scenario = process.argv[2] as Scenario | undefined;
if (scenario === undefined) runAll();
else if (SCENARIOS.includes(scenario)) await runScenario(scenario);
else {
  console.error(`unknown scenario ${scenario}; one of ${SCENARIOS.join(', ')}`);
  process.exitCode = 2;
}

function runAll(): void {
  if (!existsSync(MAIN)) {
    console.error(`${MAIN} does not exist: run \`npx electron-vite build\` first (npm run test:main does).`);
    process.exitCode = 1;
    return;
  }
  let failed = 0;
  for (const name of SCENARIOS) {
    console.log(`main-process smoke test: ${name}`);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit', timeout: 120_000, env: withoutDevServer(process.env) });
    if (r.status !== 0) {
      failed++;
      console.error(`✗ scenario ${name} failed (exit ${r.status ?? r.signal})`);
    }
  }
  console.log('\nWhat this smoke test cannot prove (needs a machine with the Electron binary: test/e2e/electron.spec.ts):');
  for (const line of CANNOT_PROVE) console.log(`  - ${line}`);
  process.exitCode = failed === 0 ? 0 : 1;
}

function withoutDevServer(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy['ELECTRON_RENDERER_URL']; // the built app serves loopscope://app/, not a dev server
  return copy;
}

// ------------------------------------------------------------------------------------------------- one scenario

async function runScenario(name: Scenario): Promise<void> {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'electron') return { url: STAND_IN_URL, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
  const work = mkdtempSync(join(tmpdir(), 'loopscope-main-smoke-'));
  const userData = join(work, 'user data');
  const saveDir = join(work, 'saved');
  mkdirSync(saveDir);
  standIn.config = { appPath: ROOT, paths: { userData, documents: saveDir }, singleInstanceLock: name !== 'second-instance', saveDir };
  if (name === 'start-failure') {
    writeFileSync(join(work, 'a file'), '');
    standIn.config.paths['userData'] = join(work, 'a file', 'Loopscope'); // mkdir under a file: ENOTDIR
  }
  try {
    await import(pathToFileURL(MAIN).href);
    // Top-level code ran synchronously, before ready.
    check('before ready: the scheme is privileged, the sandbox enabled, the single-instance lock asked, no window', () => {
      assert.deepEqual(standIn.calls.slice(0, 3), ['protocol.registerSchemesAsPrivileged', 'app.enableSandbox', 'app.requestSingleInstanceLock']);
      assert.deepEqual(standIn.privilegedSchemes, [{ scheme: 'loopscope', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
      assert.equal(standIn.windows.length, 0);
    });
    standIn.emitReady();
    if (name === 'app') await driveApp();
    if (name === 'second-instance') await secondInstance();
    if (name === 'start-failure') await startFailure();
    check('no Electron ordering rule was broken', () => assert.deepEqual(standIn.violations, []));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(process.exitCode ?? 0); // the host's ports and timers are gone or irrelevant: end the scenario here
}

type Bridge = { call(call: object): Promise<{ ok: boolean; value?: unknown; error?: string }>; on(type: string, listener: (event: Record<string, unknown>) => void): () => void };

async function driveApp(): Promise<void> {
  await waitFor('the window loads the app page and the preload exposes window.loopscope', () => standIn.windows[0]?.webContents.exposed.has('loopscope'));
  const win = standIn.windows[0]!;
  const contents = win.webContents;
  const bridge = contents.exposed.get('loopscope') as Bridge;
  const handleIndex = standIn.calls.indexOf('protocol.handle(loopscope)');

  check('after ready: protocol.handle, then one window loading loopscope://app/index.html', () => {
    const ready = standIn.calls.indexOf('ready');
    assert.ok(ready >= 0 && handleIndex > ready, standIn.calls.join(' → '));
    assert.ok(standIn.calls.indexOf('new BrowserWindow') > handleIndex);
    assert.ok(standIn.calls.includes('loadURL(loopscope://app/index.html)'));
    assert.equal(standIn.windows.length, 1);
    assert.ok(standIn.calls.includes('Menu.setApplicationMenu'));
  });
  check('the window: sandboxed, context-isolated, no Node, web security on, the built CommonJS preload', () => {
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    assert.equal(prefs['sandbox'], true);
    assert.equal(prefs['contextIsolation'], true);
    assert.equal(prefs['nodeIntegration'], false);
    assert.equal(prefs['webSecurity'], true);
    assert.equal(prefs['preload'], join(ROOT, 'out', 'preload', 'index.cjs'));
    assert.equal(win.options['show'], false);
  });
  await waitFor('the window is shown once ready-to-show', () => win.visible);
  check('the preload exposes exactly window.loopscope with call and on (never ipcRenderer)', () => {
    assert.deepEqual([...contents.exposed.keys()], ['loopscope']);
    assert.deepEqual(Object.keys(bridge).sort(), ['call', 'on']);
  });

  const handler = session.defaultSession.protocol.handlers.get('loopscope')!;
  const index = await handler(new Request('loopscope://app/index.html'));
  const indexBody = Buffer.from(await index.arrayBuffer());
  check('loopscope://app/index.html is the built index.html with a fresh style nonce in the page and in the CSP header', () => {
    assert.equal(index.status, 200);
    const csp = index.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
    assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
    assert.equal(csp, contentSecurityPolicy().replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
    const built = readFileSync(join(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
    assert.ok(built.includes(`nonce="${CSP_NONCE_PLACEHOLDER}"`), 'the built page carries the nonce placeholder');
    assert.equal(indexBody.toString('utf8'), built.replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
  });
  const asset = readdirSync(join(ROOT, 'out', 'renderer', 'assets')).find((f) => f.endsWith('.js'))!;
  const assetResponse = await handler(new Request(`loopscope://app/assets/${encodeURIComponent(asset)}`));
  const traversals = ['loopscope://app/..%2f..%2fpackage.json', 'loopscope://app/%2e%2e/%2e%2e/package.json', 'loopscope://app/assets/..%5c..%5cpackage.json', 'loopscope://app/%00index.html', 'loopscope://other/index.html'];
  const traversalStatuses = await Promise.all(traversals.map(async (url) => (await handler(new Request(url))).status));
  check('assets are served as JavaScript; traversal, NUL and other hosts are refused (404)', () => {
    assert.equal(assetResponse.status, 200);
    assert.match(assetResponse.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.deepEqual(traversalStatuses, traversals.map(() => 404));
  });

  const list = await bridge.call({ type: 'lessons.list' });
  check('IPC from the app frame: lessons.list answers the bundled lessons', () => {
    assert.equal(list.ok, true, list.error);
    const lessons = (list.value as { lessons: { key: string }[] }).lessons;
    const bundled = readdirSync(join(ROOT, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(ROOT, 'lessons', d.name, 'lesson.json')));
    assert.ok(lessons.length > 0 && lessons.length === bundled.length, `${lessons.length} lessons listed, ${bundled.length} folders with lesson.json`);
    assert.ok(lessons.every((l) => l.key.startsWith('bundled/')));
  });

  const invoke = ipcMain.handlers.get('loopscope:call')!;
  const foreignTop = { ...contents.mainFrame, url: 'https://evil.example/' };
  const subframe = { url: 'loopscope://app/index.html', processId: contents.mainFrame.processId, routingId: 7, parent: contents.mainFrame };
  const fromForeign = (await invoke({ sender: contents, senderFrame: foreignTop }, { type: 'lessons.list' })) as { ok: boolean; error?: string };
  const fromSubframe = (await invoke({ sender: contents, senderFrame: subframe }, { type: 'lessons.list' })) as { ok: boolean; error?: string };
  const malformed = await bridge.call({ type: 'lessons.open', key: '../../etc/passwd' });
  check('IPC from a foreign page or a subframe is refused; a malformed call is an error answer, not a crash', () => {
    assert.deepEqual(fromForeign, { ok: false, error: 'calls are only accepted from the Loopscope window' });
    assert.deepEqual(fromSubframe, { ok: false, error: 'calls are only accepted from the Loopscope window' });
    assert.equal(malformed.ok, false);
  });

  const events: Record<string, unknown>[] = [];
  const offs = ['run.header', 'run.batch', 'run.end'].map((t) => bridge.on(t, (e) => events.push(e)));
  const program = "setTimeout(() => console.log('timeout'), 0);\nPromise.resolve().then(() => console.log('microtask'));\nconsole.log('sync');\n";
  // A run names its lesson (main refuses lessons from untrusted folders and files that are not the lesson's): the
  // program runs as the learner's edit of a bundled lesson's entry file.
  const opened = await bridge.call({ type: 'lessons.open', key: 'bundled/sync-vs-timeout' });
  assert.equal(opened.ok, true, opened.error);
  const lesson = opened.value as { entry: string; files: { path: string; text: string }[] };
  const files = lesson.files.map((f) => (f.path === lesson.entry ? { path: f.path, text: program } : f));
  const started = await bridge.call({ type: 'runs.start', runId: 'smoke-1', lesson: 'bundled/sync-vs-timeout', request: { files, entry: lesson.entry, mode: 'function' } });
  await waitFor('the run ends', () => events.some((e) => e['type'] === 'run.end'), 60_000);
  offs.forEach((off) => off());
  const batches = events.filter((e) => e['type'] === 'run.batch').map((e) => e['batch']) as Parameters<typeof decodeBatches>[0];
  const end = events.find((e) => e['type'] === 'run.end')!['end'] as { reason: number; exitCode?: number };
  check('a run streams header, batches and end through the MessagePort; its console is what node prints', () => {
    assert.equal(started.ok, true, started.error);
    assert.equal(events[0]?.['type'], 'run.header');
    assert.equal(end.reason, EndReason.Completed, JSON.stringify(end));
    assert.ok(batches.length > 0);
    assert.equal(renderConsole(consoleLines(decodeBatches(batches)), 'stdout'), 'sync\nmicrotask\ntimeout\n');
  });

  const content = '{"traceEvents":[]}';
  const exported = await bridge.call({ type: 'export', format: 'chrome', fileName: 'smoke trace.json', content });
  check('export saves where the save dialog says, with the content given', () => {
    assert.equal(exported.ok, true, exported.error);
    const savedTo = (exported.value as { savedTo: string }).savedTo;
    assert.equal(savedTo, join(standIn.config.saveDir, 'smoke trace.json'));
    assert.equal(readFileSync(savedTo, 'utf8'), content);
  });

  await snapshotChecks(bridge, check);
  await audienceChecks(bridge, check, waitFor);
  await classSessionChecks(bridge, check, waitFor);

  // A folder from elsewhere: main asks in a native dialog; Cancel trusts nothing and main refuses the run.
  const elsewhere = join(dirname(standIn.config.saveDir), 'elsewhere', 'sync-vs-timeout');
  cpSync(join(ROOT, 'lessons', 'sync-vs-timeout'), elsewhere, { recursive: true });
  standIn.config.openFolder = elsewhere;
  const added = await bridge.call({ type: 'lessons.openFolder' });
  const folderLesson = ((await bridge.call({ type: 'lessons.list' })).value as { lessons: { key: string; source: string; trusted: boolean }[] }).lessons.find((l) => l.source === elsewhere);
  standIn.config.messageBoxResponse = 0;
  const cancelled = await bridge.call({ type: 'lessons.trust', key: folderLesson?.key ?? '' });
  const refused = await bridge.call({ type: 'runs.start', runId: 'smoke-2', lesson: folderLesson?.key ?? '', request: { files, entry: lesson.entry, mode: 'function' } });
  const trustFile = join(standIn.config.paths['userData']!, 'trusted-folders.json');
  const trustedAfterCancel = existsSync(trustFile);
  standIn.config.messageBoxResponse = 1;
  const ran = await bridge.call({ type: 'lessons.trust', key: folderLesson?.key ?? '' });
  check('a lesson from another folder: main asks in a native dialog (Cancel trusts nothing, the run is refused; Run trusts it)', () => {
    assert.equal(added.ok, true, added.error);
    assert.equal(folderLesson?.trusted, false);
    assert.deepEqual(cancelled, { ok: true, value: { trusted: false } });
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /have not been trusted/);
    assert.equal(trustedAfterCancel, false);
    assert.deepEqual(ran, { ok: true, value: { trusted: true } });
    assert.equal(standIn.calls.filter((c) => c.startsWith('dialog.showMessageBox(') && c.endsWith('[Cancel|Run])')).length, 2);
    assert.deepEqual(JSON.parse(readFileSync(trustFile, 'utf8')), { version: 1, folders: [elsewhere] });
  });

  await bridge.call({ type: 'settings.set', patch: { theme: 'dark' } });
  const afterDark = nativeTheme.themeSource;
  await bridge.call({ type: 'settings.set', patch: { theme: 'system' } });
  check('a theme change reaches nativeTheme live (Dark, then back to Follow system)', () => {
    assert.equal(afterDark, 'dark');
    assert.equal(nativeTheme.themeSource, 'system');
  });

  win.minimize();
  app.emit('second-instance', {}, [], ROOT);
  check('a second instance restores and focuses the existing window', () => {
    assert.equal(win.isMinimized(), false);
    assert.ok(win.focused > 0);
  });

  const before = descendants(process.pid);
  app.quit();
  await waitFor('the app quits', () => standIn.quitted, 15_000);
  await waitFor('no child process is left', () => descendants(process.pid).length === 0, 5000).catch(() => {});
  check('quit: the window closes, the runtime host exits, no child process is left', () => {
    assert.ok(before.length > 0, 'the runtime host was running before quit');
    assert.equal(standIn.windows.length, 0);
    assert.deepEqual(descendants(process.pid), []);
    assert.equal(standIn.exitCode, null);
  });
}

async function secondInstance(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  check('without the single-instance lock: it quits, opens no window, starts no host', () => {
    assert.ok(standIn.calls.includes('app.quit'));
    assert.equal(standIn.windows.length, 0);
    assert.ok(!standIn.calls.some((c) => c.startsWith('protocol.handle')));
    assert.deepEqual(descendants(process.pid), []);
  });
}

async function startFailure(): Promise<void> {
  await waitFor('the start-up failure is reported', () => standIn.exitCode !== null, 10_000);
  check('a failing start-up shows "could not start" with the reason and exits 1, without a window', () => {
    assert.equal(standIn.errorBoxes.length, 1);
    assert.equal(standIn.errorBoxes[0]!.title, 'Loopscope could not start');
    assert.match(standIn.errorBoxes[0]!.content, /ENOTDIR|EEXIST/);
    assert.equal(standIn.exitCode, 1);
    assert.equal(standIn.windows.length, 0);
  });
}

// ------------------------------------------------------------------------------------------------------ helpers

function check(what: string, body: () => void): void {
  try {
    body();
    console.log(`  ✓ ${what}`);
  } catch (e) {
    console.log(`  ✗ ${what}\n    ${(e as Error).message.split('\n').join('\n    ')}`);
    process.exitCode = 1;
  }
}

async function waitFor(what: string, condition: () => boolean | undefined, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    // A broken rule or an error dialog will not fix itself: say what happened instead of waiting out the timeout.
    const stuck = Date.now() > deadline ? 'timed out' : standIn.violations.length > 0 || (standIn.errorBoxes.length > 0 && !what.includes('failure')) ? 'gave up' : null;
    if (stuck) {
      const why = [...standIn.violations.map((v) => `rule broken: ${v}`), ...standIn.errorBoxes.map((b) => `dialog: ${b.title}: ${b.content}`)];
      console.log(`  ✗ ${stuck} waiting until ${what}${why.map((w) => `\n    ${w}`).join('')}`);
      process.exitCode = 1;
      throw new Error(`${stuck} waiting until ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Live descendant processes of `pid` (Linux /proc; elsewhere an empty list, said once). */
function descendants(pid: number): number[] {
  if (process.platform !== 'linux') {
    if (!descendantsWarned) console.log('  (child-process checks need Linux /proc; skipped on this platform)');
    descendantsWarned = true;
    return [];
  }
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // exited, not yet reaped
      const ppid = Number(fields[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const child of parents.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}
let descendantsWarned = false;
