/**
 * The app's one IPC contract: every call the renderer may make and every event it may receive, as
 * discriminated unions keyed on `type`, with a runtime validator for each payload.
 *
 * Carried unchanged by three transports: Electron IPC + a MessagePort (desktop), a WebSocket (browser mode)
 * and an in-memory pair (tests). Invariants:
 * - Whoever receives a message from the other side validates it here first (`validateCall` on the Node side,
 *   `validateEvent` / `validateResult` in the renderer). A handler never sees an unvalidated payload.
 * - Calls answer with a result or an error string; they never throw across the boundary.
 * - Run events carry the client-chosen `runId` of `runs.start`, so a client can tell runs apart even when the
 *   call's answer and the first events travel on different channels (Electron: invoke vs MessagePort).
 * - `run.batch` ints are an Int32Array: transferred in-process, binary frames on the WebSocket (binary.ts).
 */
import { validateRunRequest, type LessonFile, type RunEnd, type RunRequest } from '../run/contract.ts';
import type { Frame, TraceBatch, TraceHeader } from '../trace/schema.ts';
import { HANDOUT_LIMITS, type Handout } from '../export/handout.ts';
import { arr, bool, from, int, int32Array, json, literal, nullable, num, obj, opt, PayloadError, str, type Check } from './check.ts';

export { PayloadError };

// ---------------------------------------------------------------------------------------------- data shapes

/** `bundled/<id>` for the app's lessons, `folder-<n>/<id>` for lessons from an opened folder. */
export type LessonKey = string;
export const LESSON_KEY_RE = /^(?:bundled|folder-\d{1,4})\/[A-Za-z0-9][\w.-]{0,99}$/;

export interface LessonSummary {
  readonly key: LessonKey;
  readonly id: string;
  readonly title: string;
  /** One sentence for the lesson browser ('' when the lesson has none). */
  readonly summary: string;
  readonly level: string;
  readonly topic: string;
  /** Where it came from: 'bundled' or the folder path it was opened from. */
  readonly source: string;
  /** The learner changed a file and has not reset it. */
  readonly edited: boolean;
  /**
   * The side that runs code will run it: bundled, or its folder was trusted (src/main/settings/trust-store.ts). The
   * page shows the trust prompt from this, but `runs.start` checks again and refuses an untrusted lesson.
   */
  readonly trusted: boolean;
}

export interface LessonDetail extends LessonSummary {
  /** The lesson narrative (Markdown). */
  readonly readme: string;
  readonly entry: string;
  /** The files as the learner left them (edits applied). */
  readonly files: readonly LessonFile[];
  /** Lesson-format extras passed through as JSON (expected output, checkpoints, quiz); typed by src/shared/lesson. */
  readonly extras: unknown;
}

export interface LessonList {
  readonly lessons: readonly LessonSummary[];
  readonly folders: readonly string[];
  /** Folders or lessons that failed to load, with why (shown in the lesson browser, never fatal). */
  readonly problems: readonly string[];
}

export type ThemeChoice = 'system' | 'light' | 'dark';
export interface Settings {
  readonly theme: ThemeChoice;
  readonly editorFontSizePx: number;
  readonly runMode: 'function' | 'statement';
  /** Pane sizes in CSS px: lesson browser width, console height, state view width. */
  readonly panes: { readonly browserCssPx: number; readonly consoleCssPx: number; readonly stateCssPx: number };
  /** 'learn': the stage is the main area, code and console beside it; 'code': the editor in the middle. */
  readonly layout: 'learn' | 'code';
  /** The Learn layout's sizes: the code column's width, the console's height in it, whether the lesson list shows. */
  readonly learnPanes: { readonly codeCssPx: number; readonly consoleCssPx: number; readonly timelineCssPx: number; readonly browserOpen: boolean };
  /** Presenter mode's projector scale, in percent of the normal size (100–200). */
  readonly presentScalePct: number;
  readonly lastLesson: LessonKey | null;
  // Which folders are trusted is not a setting: the page cannot write it (see `lessons.trust`).
}
export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  editorFontSizePx: 14,
  runMode: 'function',
  panes: { browserCssPx: 240, consoleCssPx: 200, stateCssPx: 400 },
  layout: 'learn',
  learnPanes: { codeCssPx: 360, consoleCssPx: 180, timelineCssPx: 150, browserOpen: true },
  presentScalePct: 150,
  lastLesson: null,
};

export type ExportFormat = 'loopscope' | 'chrome' | 'html';

export interface ClassStatus {
  readonly open: boolean;
  /** The join URL (token included) while open. */
  readonly url: string | null;
  readonly viewers: number;
  /** Viewer connections refused so far (no or wrong token, wrong origin, over the limit). */
  readonly refused: number;
}

/** A .zip lesson pack the renderer read from a file the user picked (browser mode: a file input). */
export interface PackUpload {
  /** The file's name (shown in messages; names the folder the pack is imported into). */
  readonly name: string;
  readonly base64: string;
}
/** The largest .zip pack an upload may carry (src/services/lessons/pack.ts PACK_LIMITS.packBytes). */
export const MAX_PACK_UPLOAD_BYTES = 20 * 1024 * 1024;
/** The largest stage snapshot (SVG text or PNG bytes) the desktop app saves: a 2× PNG of a 4K stage is ~5 MB. */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
export type SnapshotFormat = 'svg' | 'png';

// ---------------------------------------------------------------------------------------------- calls

export interface CallMap {
  'lessons.list': { params: object; result: LessonList };
  'lessons.open': { params: { key: LessonKey }; result: LessonDetail };
  /** Autosave: the full set of files for the lesson. Saving files equal to the original clears "edited". */
  'lessons.save': { params: { key: LessonKey; files: readonly LessonFile[] }; result: { edited: boolean } };
  'lessons.reset': { params: { key: LessonKey }; result: LessonDetail };
  /** Desktop: shows a folder picker (a `path` from the renderer is ignored). Browser mode: `path` is required. */
  'lessons.openFolder': { params: { path?: string }; result: { folder: string | null; added: number } };
  /**
   * Runs `request` as the lesson `lesson`: its files must be that lesson's files (the learner's edits of them) and
   * its entry the lesson's entry. Refused when the lesson is not `trusted` — whatever the page believes.
   */
  'runs.start': { params: { runId: string; lesson: LessonKey; request: RunRequest }; result: { runId: string } };
  'runs.stop': { params: { runId: string }; result: { stopped: boolean } };
  /**
   * Imports a lesson pack (.zip or folder, checked by src/services/lessons/pack.ts) into its own folder of the user's
   * library and opens that folder. `upload`: a .zip the renderer read. Otherwise desktop shows a picker (a `path`
   * is ignored) and browser mode needs an absolute `path`. A refused pack writes nothing and answers an error.
   */
  'lessons.importPack': { params: { upload?: PackUpload; path?: string }; result: { folder: string | null; imported: readonly string[]; keys: readonly LessonKey[] } };
  /** Exports lessons (their original files, not the learner's edits) as a .zip or a folder. */
  'lessons.exportPack': { params: { keys: readonly LessonKey[]; format: 'zip' | 'folder' }; result: { savedTo: string | null; lessons: readonly string[] } };
  /** Presenter mode: the desktop app opens the audience window (browser mode opens the audience URL itself). */
  'window.openAudience': { params: object; result: { opened: boolean } };
  /**
   * Desktop: saves a picture of the stage (src/renderer/src/stage/stage-snapshot.ts) where a native save dialog
   * says. `content` is the SVG text, or the PNG's bytes in base64. Browser mode downloads snapshots instead.
   */
  'snapshot.save': { params: { format: SnapshotFormat; fileName: string; content: string }; result: { savedTo: string | null } };
  /** Follow-along class session (src/services/class): the interfaces it can listen on. */
  'class.interfaces': { params: object; result: { hosts: readonly string[] } };
  /** Opens the class session on `host` with a new join token (closing an open one). */
  'class.open': { params: { host: string }; result: ClassStatus };
  'class.status': { params: object; result: ClassStatus };
  /** The presenter's view (a present-channel 'view' message as JSON) and/or finished trace ('trace' message as JSON) for the viewers. */
  'class.publish': { params: { view?: string; trace?: string }; result: ClassStatus };
  'class.close': { params: object; result: ClassStatus };
  /**
   * Asks to trust the folder of lesson `key` (bundled lessons always are). Desktop: main shows a native dialog and
   * its answer decides; the page cannot answer for the user. Browser mode: the page's own prompt asked, and the
   * server records the folder. `trusted` is the outcome.
   */
  'lessons.trust': { params: { key: LessonKey }; result: { trusted: boolean } };
  'settings.get': { params: object; result: Settings };
  'settings.set': { params: { patch: Partial<Settings> }; result: Settings };
  /** Saves an exported trace the renderer produced with src/shared/export. */
  /** `content` is the exported file, except for 'html': the own-format trace, which the service wraps in the player page. */
  /** `deliver: 'return'` (browser mode): nothing is written on the server; the finished file comes back as `content`, for the browser to download. */
  export: { params: { format: ExportFormat; fileName: string; content: string; deliver?: 'save' | 'return'; handout?: Handout }; result: { savedTo: string | null; content?: string } };
}
export type CallType = keyof CallMap;
export type Call<T extends CallType = CallType> = T extends CallType ? { readonly type: T } & Readonly<CallMap[T]['params']> : never;
export type CallResult<T extends CallType> = CallMap[T]['result'];

const lessonKey = str({ max: 120, pattern: LESSON_KEY_RE });
const runId = str({ min: 1, max: 64, pattern: /^[\w-]+$/ });
const lessonFile: Check<LessonFile> = obj({ path: str({ max: 200 }), text: str({ max: 2_000_000 }) });
const fileName = str({ min: 1, max: 120, pattern: /^[\w][\w .()-]*\.(?:json|html|loopscope|trace)$/ });

const settingsShape = {
  theme: literal('system', 'light', 'dark'),
  editorFontSizePx: int({ min: 8, max: 40 }),
  runMode: literal('function', 'statement'),
  panes: obj({ browserCssPx: int({ min: 0, max: 4000 }), consoleCssPx: int({ min: 0, max: 4000 }), stateCssPx: int({ min: 0, max: 4000 }) }),
  layout: literal('learn', 'code'),
  learnPanes: obj({ codeCssPx: int({ min: 0, max: 4000 }), consoleCssPx: int({ min: 0, max: 4000 }), timelineCssPx: int({ min: 0, max: 4000 }), browserOpen: bool }),
  presentScalePct: int({ min: 100, max: 200 }),
  lastLesson: nullable(lessonKey),
};
const settings: Check<Settings> = obj(settingsShape);
const settingsPatch: Check<Partial<Settings>> = obj({
  theme: opt(settingsShape.theme),
  editorFontSizePx: opt(settingsShape.editorFontSizePx),
  runMode: opt(settingsShape.runMode),
  panes: opt(settingsShape.panes),
  layout: opt(settingsShape.layout),
  learnPanes: opt(settingsShape.learnPanes),
  presentScalePct: opt(settingsShape.presentScalePct),
  lastLesson: opt(settingsShape.lastLesson),
});
const packUpload: Check<PackUpload> = obj({
  // eslint-disable-next-line no-control-regex -- control characters are what the pattern refuses
  name: str({ min: 1, max: 200, pattern: /^[^/\\\u0000-\u001f]+\.zip$/i }),
  base64: str({ min: 4, max: Math.ceil(MAX_PACK_UPLOAD_BYTES / 3) * 4 + 4, pattern: /^[A-Za-z0-9+/]*={0,2}$/ }),
});

// (src/shared/export/handout.ts readHandout checks the same shape again where the file is read)
const handout: Check<Handout> = obj({
  lessonText: str({ max: HANDOUT_LIMITS.lessonChars }),
  checkpoints: arr(obj({ name: str({ max: HANDOUT_LIMITS.nameChars }), cursor: int({ min: 0 }), explain: str({ max: HANDOUT_LIMITS.explainChars }) }), HANDOUT_LIMITS.checkpoints),
});

const CALL_PARAMS: { readonly [T in CallType]: Check<CallMap[T]['params']> } = {
  'lessons.list': obj({}),
  'window.openAudience': obj({}),
  'snapshot.save': obj({
    format: literal('svg', 'png'),
    fileName: str({ min: 1, max: 120, pattern: /^[\w][\w .()-]*\.(?:svg|png)$/ }),
    content: str({ min: 1, max: Math.ceil(MAX_SNAPSHOT_BYTES / 3) * 4 + 4 }), // base64 PNG is the longer one
  }),
  'class.interfaces': obj({}),
  'class.open': obj({ host: str({ min: 1, max: 64, pattern: /^[\d.]+$/ }) }),
  'class.status': obj({}),
  'class.publish': obj({ view: opt(str({ max: 64 * 1024 })), trace: opt(str({ max: 512 * 1024 * 1024 })) }),
  'class.close': obj({}),
  'lessons.open': obj({ key: lessonKey }),
  'lessons.save': obj({ key: lessonKey, files: arr(lessonFile, 64) }),
  'lessons.reset': obj({ key: lessonKey }),
  'lessons.openFolder': obj({ path: opt(str({ min: 1, max: 4096 })) }),
  'runs.start': obj({ runId, lesson: lessonKey, request: from(validateRunRequest) }),
  'runs.stop': obj({ runId }),
  'lessons.importPack': obj({ upload: opt(packUpload), path: opt(str({ min: 1, max: 4096 })) }),
  'lessons.exportPack': obj({ keys: arr(lessonKey, 1000), format: literal('zip', 'folder') }),
  'lessons.trust': obj({ key: lessonKey }),
  'settings.get': obj({}),
  'settings.set': obj({ patch: settingsPatch }),
  export: obj({ format: literal('loopscope', 'chrome', 'html'), fileName, content: str({ max: 512 * 1024 * 1024 }), deliver: opt(literal('save', 'return')), handout: opt(handout) }),
};

export const CALL_TYPES = Object.keys(CALL_PARAMS) as CallType[];

export function isCallType(type: unknown): type is CallType {
  return typeof type === 'string' && Object.hasOwn(CALL_PARAMS, type);
}

/** Validates a call from the other side. Throws PayloadError with a precise message. */
export function validateCall(value: unknown): Call {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PayloadError('call: expected an object');
  const { type, ...params } = value as Record<string, unknown>;
  if (!isCallType(type)) throw new PayloadError(`call.type: unknown call ${JSON.stringify(type)}`);
  return { type, ...(CALL_PARAMS[type](params, type) as object) } as Call;
}

// ---------------------------------------------------------------------------------------------- results

const lessonSummaryShape = {
  key: lessonKey,
  id: str({ max: 100 }),
  title: str({ max: 300 }),
  summary: str({ max: 2000 }),
  level: str({ max: 50 }),
  topic: str({ max: 100 }),
  source: str({ max: 4096 }),
  edited: bool,
  trusted: bool,
};
const lessonSummary: Check<LessonSummary> = obj(lessonSummaryShape);
const lessonDetail: Check<LessonDetail> = obj({
  ...lessonSummaryShape,
  readme: str({ max: 1_000_000 }),
  entry: str({ max: 200 }),
  files: arr(lessonFile, 64),
  extras: json(),
});

const classStatus: Check<ClassStatus> = obj({ open: bool, url: nullable(str({ max: 300 })), viewers: int({ min: 0 }), refused: int({ min: 0 }) });

const CALL_RESULTS: { readonly [T in CallType]: Check<CallResult<T>> } = {
  'lessons.list': obj({ lessons: arr(lessonSummary), folders: arr(str({ max: 4096 }), 1000), problems: arr(str({ max: 10_000 }), 10_000) }),
  'lessons.open': lessonDetail,
  'lessons.save': obj({ edited: bool }),
  'lessons.reset': lessonDetail,
  'lessons.openFolder': obj({ folder: nullable(str({ max: 4096 })), added: int({ min: 0 }) }),
  'runs.start': obj({ runId }),
  'runs.stop': obj({ stopped: bool }),
  'lessons.importPack': obj({ folder: nullable(str({ max: 4096 })), imported: arr(str({ max: 100 }), 1000), keys: arr(lessonKey, 1000) }),
  'lessons.exportPack': obj({ savedTo: nullable(str({ max: 4096 })), lessons: arr(str({ max: 100 }), 1000) }),
  'window.openAudience': obj({ opened: bool }),
  'snapshot.save': obj({ savedTo: nullable(str({ max: 4096 })) }),
  'class.interfaces': obj({ hosts: arr(str({ max: 64 }), 64) }),
  'class.open': classStatus,
  'class.status': classStatus,
  'class.publish': classStatus,
  'class.close': classStatus,
  'lessons.trust': obj({ trusted: bool }),
  'settings.get': settings,
  'settings.set': settings,
  export: obj({ savedTo: nullable(str({ max: 4096 })), content: opt(str({ max: 1024 * 1024 * 1024 })) }),
};

export function validateResult<T extends CallType>(type: T, value: unknown): CallResult<T> {
  return CALL_RESULTS[type](value, `result(${type})`);
}

// ---------------------------------------------------------------------------------------------- events

export const APP_COMMANDS = ['run', 'stop', 'step-forward', 'step-back', 'next-lesson', 'prev-lesson', 'open-folder', 'open-trace', 'reset-lesson', 'export-loopscope', 'export-chrome', 'export-html', 'theme-system', 'theme-light', 'theme-dark'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

export type AppEvent =
  | { readonly type: 'run.header'; readonly runId: string; readonly header: TraceHeader }
  | { readonly type: 'run.batch'; readonly runId: string; readonly batch: TraceBatch }
  | { readonly type: 'run.end'; readonly runId: string; readonly end: RunEnd }
  | { readonly type: 'host.crashed'; readonly why: string }
  | { readonly type: 'lessons.changed' }
  /** A menu item or global shortcut handled outside the page (desktop menu). */
  | { readonly type: 'app.command'; readonly command: AppCommand };
export type EventType = AppEvent['type'];
export type EventOf<T extends EventType> = Extract<AppEvent, { type: T }>;

const frame: Check<Frame> = obj({
  id: int({ min: 0 }),
  kind: literal('function', 'host', 'statement', 'script'),
  name: str({ max: 10_000 }),
  file: str({ max: 1000 }),
  line: int({ min: 0 }),
  column: int({ min: 0 }),
  endLine: int({ min: 0 }),
  endColumn: int({ min: 0 }),
  flavor: opt(literal('sync', 'async', 'generator', 'async-generator')),
});
const header: Check<TraceHeader> = obj({
  version: int({ min: 1 }),
  runId: str({ max: 100 }),
  mode: literal('function', 'statement'),
  startedAtMs: num(),
  frames: arr(frame, 10_000_000),
  files: arr(lessonFile, 64),
  entry: str({ max: 200 }),
});
const batch: Check<TraceBatch> = obj({ agent: int({ min: 0, max: 1 << 20 }), ints: int32Array(), strings: arr(str({ max: 10_000_000 }), 10_000_000) });
const runEnd: Check<RunEnd> = obj({
  reason: int({ min: 0, max: 1000 }) as Check<RunEnd['reason']>,
  message: str({ max: 100_000 }),
  exitCode: int(),
  events: int({ min: 0 }),
  durationMs: num(),
  hostMemory: opt(obj({ baselineRssBytes: num(), peakRssBytes: num() })),
});

const EVENTS: { readonly [T in EventType]: Check<Omit<EventOf<T>, 'type'>> } = {
  'run.header': obj({ runId, header }),
  'run.batch': obj({ runId, batch }),
  'run.end': obj({ runId, end: runEnd }),
  'host.crashed': obj({ why: str({ max: 10_000 }) }),
  'lessons.changed': obj({}),
  'app.command': obj({ command: literal(...APP_COMMANDS) }),
};
export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(EVENTS, type);
}

export function validateEvent(value: unknown): AppEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PayloadError('event: expected an object');
  const { type, ...rest } = value as Record<string, unknown>;
  if (!isEventType(type)) throw new PayloadError(`event.type: unknown event ${JSON.stringify(type)}`);
  return { type, ...(EVENTS[type](rest, type) as object) } as AppEvent;
}

// ---------------------------------------------------------------------------------------------- the API

/**
 * What the renderer talks to. Implemented by the preload bridge (desktop), the WebSocket client (browser
 * mode) and the in-memory client (tests). Subscriptions return their unsubscribe.
 */
export interface LoopscopeApi {
  readonly kind: 'desktop' | 'browser' | 'memory';
  call<T extends CallType>(call: Call<T>): Promise<CallResult<T>>;
  on<T extends EventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
}

/** The answer envelope used where a transport cannot carry errors faithfully (Electron invoke, WebSocket). */
export type CallAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export const callAnswer: Check<CallAnswer> = (v, path) => {
  if (typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false) return obj({ ok: literal(false), error: str({ max: 100_000 }) })(v, path);
  return obj({ ok: literal(true), value: json(64) })(v, path) as CallAnswer;
};
