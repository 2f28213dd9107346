/**
 * The Node side of the IPC contract, independent of transport: the Electron main process and the browser-mode
 * server both create one AppService and `connect` each renderer (a window, a WebSocket) to it.
 *
 * Invariants:
 * - Calls reaching `handle` are already validated (contract.validateCall); anything they name is still checked
 *   against what exists (lesson keys, lesson files) by the store.
 * - A connection only receives the run events of the runs it started; `lessons.changed` and `host.crashed` go
 *   to every connection.
 * - Closing a connection stops its run. One runtime serves all connections: starting a run stops whatever ran
 *   before (the runtime serializes runs), and the earlier run's owner sees its `run.end` with reason Stopped.
 */
import type { AppEvent, Call, CallResult, CallType, ExportFormat, SnapshotFormat } from '../../shared/ipc/contract.ts';
import type { CallHandler } from '../../shared/ipc/protocol.ts';
import type { Runtime, RunHandle } from '../../runtime/api.ts';
import type { SettingsFile } from '../settings/settings-file.ts';
import type { LessonStore } from '../store/lesson-store.ts';
import type { TrustStore } from '../settings/trust-store.ts';
import { htmlPlayerPage } from '../export/player-bundle.ts';
import { snapshotBytes } from '../export/snapshot.ts';
import { exportPackCall, importPackCall, type PackDeps } from './pack-service.ts';
import { ClassSession, classInterfaces } from '../class/class-session.ts';

export interface AppServiceDeps {
  readonly store: LessonStore;
  readonly settings: SettingsFile;
  /** Trusted lesson folders; the store's `isTrusted` must read the same one. */
  readonly trust: TrustStore;
  readonly runtime: Runtime;
  /**
   * Desktop: asks the user in a native dialog from main (src/main/trust-dialog.ts) whether to run lessons from
   * `folder`; the page has no say. Absent in browser mode, where the page's own prompt is the only UI and
   * `lessons.trust` records its answer.
   */
  askTrust?(request: { folder: string; title: string }): Promise<boolean>;
  /** Desktop: a folder picker (ignores `requested`). Browser mode: checks and returns `requested`. null = cancelled. */
  pickFolder(requested: string | undefined): Promise<string | null>;
  /** Desktop: a save dialog. Browser mode: a file in the data dir. Returns where it went, or null when cancelled. */
  saveExport(format: ExportFormat, fileName: string, content: string): Promise<string | null>;
  /**
   * Desktop: saves a stage snapshot (bytes checked by export/snapshot.ts) where a save dialog says; null when
   * cancelled. Absent in browser mode, where snapshots download in the browser.
   */
  saveSnapshot?(format: SnapshotFormat, fileName: string, bytes: Uint8Array): Promise<string | null>;
  /** Desktop: opens (or focuses) the audience window of presenter mode; true when a new one opened. */
  openAudience?(): Promise<boolean>;
  /** Lesson pack import/export (pack-service.ts); without it those calls answer that packs are unavailable. */
  readonly packs?: PackDeps;
  /** Follow-along class sessions serve the renderer's files from here; without it they are unavailable. */
  readonly classRendererDir?: string;
}

export interface Connection extends CallHandler {
  close(): void;
}

export class AppService {
  readonly #deps: AppServiceDeps;
  readonly #connections = new Set<(e: AppEvent) => void>();
  readonly #offCrash: () => void;
  /** The one follow-along class session (src/services/class/class-session.ts), when the instructor opened one. */
  #classSession: ClassSession | null = null;

  constructor(deps: AppServiceDeps) {
    this.#deps = deps;
    this.#offCrash = deps.runtime.onCrash((why) => this.broadcast({ type: 'host.crashed', why }));
  }

  broadcast(event: AppEvent): void {
    for (const emit of this.#connections) emit(event);
  }

  connect(emit: (event: AppEvent) => void): Connection {
    const safeEmit = (event: AppEvent): void => {
      try {
        emit(event);
      } catch {
        // the peer went away mid-send; its close will follow
      }
    };
    this.#connections.add(safeEmit);
    const runs = new Map<string, RunHandle>();
    const deps = this.#deps;
    let closed = false;

    const handlers: { [T in CallType]: (call: Call<T>) => Promise<CallResult<T>> } = {
      'lessons.list': () => deps.store.list(),
      'lessons.open': (c) => deps.store.open(c.key),
      'lessons.save': (c) => deps.store.save(c.key, c.files),
      'lessons.reset': async (c) => {
        const lesson = await deps.store.reset(c.key);
        this.broadcast({ type: 'lessons.changed' });
        return lesson;
      },
      'lessons.openFolder': async (c) => {
        const folder = await deps.pickFolder(c.path);
        if (folder === null) return { folder: null, added: 0 };
        const result = await deps.store.addFolder(folder);
        await deps.settings.setFolders(deps.store.folders);
        this.broadcast({ type: 'lessons.changed' });
        return result;
      },
      'lessons.trust': async (c) => {
        const target = await deps.store.runTarget(c.key);
        if (target.source === 'bundled' || deps.trust.isTrusted(target.source)) return { trusted: true };
        const yes = deps.askTrust ? await deps.askTrust({ folder: target.source, title: target.title }) : true;
        if (yes) {
          await deps.trust.trust(target.source);
          this.broadcast({ type: 'lessons.changed' });
        }
        return { trusted: yes };
      },
      'runs.start': async (c) => {
        if (closed) throw new Error('the connection is closed');
        const runId = c.runId;
        if (runs.has(runId)) throw new Error(`run ${runId} already started`);
        // The decision is made here, from what is on disk and in the trust store, whatever the page believes.
        const target = await deps.store.runTarget(c.lesson);
        if (target.source !== 'bundled' && !deps.trust.isTrusted(target.source)) {
          throw new Error(`Not run: lessons from ${target.source} have not been trusted. Choose Run when Loopscope asks whether to run them.`);
        }
        for (const f of c.request.files) if (!target.paths.includes(f.path)) throw new Error(`Not run: ${c.lesson} has no file ${JSON.stringify(f.path)}`);
        if (c.request.entry !== target.entry) throw new Error(`Not run: the entry of ${c.lesson} is ${target.entry}, not ${c.request.entry}`);
        if (closed) throw new Error('the connection is closed');
        if (runs.has(runId)) throw new Error(`run ${runId} already started`);
        const handle = deps.runtime.run(c.request, {
          onHeader: (header) => safeEmit({ type: 'run.header', runId, header }),
          onBatch: (batch) => safeEmit({ type: 'run.batch', runId, batch }),
          onEnd: (end) => {
            runs.delete(runId);
            safeEmit({ type: 'run.end', runId, end });
          },
        });
        runs.set(runId, handle);
        return { runId };
      },
      'runs.stop': async (c) => {
        const handle = runs.get(c.runId);
        if (!handle) return { stopped: false };
        handle.stop();
        return { stopped: true };
      },
      'lessons.importPack': async (c) => {
        if (!deps.packs) throw new Error('Importing lesson packs is not available here.');
        const result = await importPackCall(deps.packs, deps.store, c);
        if (result.folder !== null) {
          await deps.settings.setFolders(deps.store.folders);
          this.broadcast({ type: 'lessons.changed' });
        }
        return result;
      },
      'lessons.exportPack': async (c) => {
        if (!deps.packs) throw new Error('Exporting lesson packs is not available here.');
        return exportPackCall(deps.packs, deps.store, c);
      },
      'snapshot.save': async (c) => {
        if (!deps.saveSnapshot) throw new Error('Snapshots download in the browser in browser mode; nothing is saved on the server.');
        return { savedTo: await deps.saveSnapshot(c.format, c.fileName, snapshotBytes(c.format, c.content)) };
      },
      'window.openAudience': async () => {
        if (!deps.openAudience) throw new Error('Open the audience view at this page’s address with #view=audience (browser mode).');
        return { opened: await deps.openAudience() };
      },
      'class.interfaces': async () => ({ hosts: classInterfaces() }),
      'class.open': async (c) => {
        if (!deps.classRendererDir) throw new Error('Class sessions are not available here.');
        await this.#classSession?.close();
        this.#classSession = null;
        this.#classSession = await ClassSession.open({ host: c.host, rendererDir: deps.classRendererDir });
        return this.#classStatus();
      },
      'class.status': async () => this.#classStatus(),
      'class.publish': async (c) => {
        const s = this.#classSession;
        if (!s) return this.#classStatus();
        if (c.trace !== undefined) s.publishTrace(c.trace);
        if (c.view !== undefined) s.publishView(c.view);
        return this.#classStatus();
      },
      'class.close': async () => {
        const s = this.#classSession;
        this.#classSession = null;
        await s?.close();
        return this.#classStatus();
      },
      'settings.get': async () => deps.settings.settings,
      'settings.set': (c) => deps.settings.update(c.patch),
      // an html export arrives as the own-format trace and leaves as the standalone player page embedding it
      export: async (c) => {
        const content = c.format === 'html' ? await htmlPlayerPage(c.content, `${c.fileName.replace(/\.html?$/i, '')} — Loopscope`, c.handout ? JSON.stringify(c.handout) : undefined) : c.content;
        if (c.deliver === 'return') return { savedTo: null, content };
        return { savedTo: await deps.saveExport(c.format, c.fileName, content) };
      },
    };

    return {
      handle: (call) => (handlers[call.type] as (c: Call) => Promise<unknown>)(call),
      close: () => {
        if (closed) return;
        closed = true;
        this.#connections.delete(safeEmit);
        for (const handle of runs.values()) handle.stop();
        runs.clear();
      },
    };
  }

  #classStatus(): { open: boolean; url: string | null; viewers: number; refused: number } {
    const s = this.#classSession;
    return { open: s !== null, url: s?.url ?? null, viewers: s?.viewers ?? 0, refused: s?.refused ?? 0 };
  }

  dispose(): void {
    void this.#classSession?.close();
    this.#classSession = null;
    this.#offCrash();
    this.#connections.clear();
  }
}
