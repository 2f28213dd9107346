/**
 * The editor widget: a plain class owning one Monaco editor and one model per lesson file (so cross-file imports
 * type-check). Created by EditorPane in one $effect and disposed in its cleanup.
 */
import type { LessonFile } from '../../../shared/run/contract.ts';
import { lessonModelBase } from './compiler-options.ts';
import { configureMonaco, monaco } from './monaco.ts';

export interface CodeEditorOptions {
  readonly fontSizePx: number;
  readonly dark: boolean;
  onChange(path: string, text: string): void;
  onRun(): void;
  /** The type checker's findings for the lesson's files changed (before any run). */
  onProblems?(problems: Problem[]): void;
  /** Whether Tab now moves focus out of the editor (Ctrl+M, or once after Esc) instead of indenting. */
  onTabMovesFocus?(moves: boolean): void;
}

/** A diagnostic of the editor's TypeScript service in one lesson file. */
export interface Problem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Owner of the marker a failed run leaves (the TypeScript service owns its own markers). */
const RUN_MARKER_OWNER = 'loopscope-run';

const languageOf = (path: string): string => (/\.[cm]?tsx?$/.test(path) ? 'typescript' : /\.[cm]?jsx?$/.test(path) ? 'javascript' : /\.json$/.test(path) ? 'json' : 'plaintext');

export class CodeEditor {
  readonly #editor: monaco.editor.IStandaloneCodeEditor;
  readonly #models = new Map<string, monaco.editor.ITextModel>();
  readonly #disposables: monaco.IDisposable[] = [];
  readonly #editorListeners: monaco.IDisposable[] = [];
  readonly #options: CodeEditorOptions;
  #lessonKey = '';
  #loading = false;
  #highlight: monaco.editor.IEditorDecorationsCollection;
  readonly #markerListener: monaco.IDisposable;
  readonly #peek: monaco.editor.IEditorDecorationsCollection;
  #highlighted: { model: monaco.editor.ITextModel; line: number } | null = null;
  /** Ctrl+M: Tab moves focus until toggled back. */
  #tabTrapOff = false;
  #tabFocusOption = false;

  constructor(host: HTMLElement, options: CodeEditorOptions) {
    configureMonaco();
    this.#options = options;
    this.#editor = monaco.editor.create(host, {
      model: null,
      automaticLayout: true,
      fontSize: options.fontSizePx,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      theme: options.dark ? 'vs-dark' : 'vs',
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      ariaLabel: 'Lesson code editor. Press Escape then Tab to leave it; Ctrl+M makes Tab always move focus.',
      // 'dimmed' (Monaco's Linux default) draws the last line number below 4.5:1 contrast.
      renderFinalNewline: 'on',
    });
    this.#editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun());
    // Keyboard users must be able to leave: Ctrl+M toggles Tab between indenting and moving focus (as in VS Code),
    // and Escape lets the next Tab leave once (as in CodeMirror), so Tab indents for people who type code.
    this.#editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyM, () => this.setTabMovesFocus(!this.#tabTrapOff));
    this.#editorListeners.push(
      this.#editor.onKeyDown((e) => {
        if (e.keyCode === monaco.KeyCode.Escape && !this.#tabTrapOff) this.#setTabFocusOption(true);
        else if (e.keyCode !== monaco.KeyCode.Tab && !this.#tabTrapOff) this.#setTabFocusOption(false);
      }),
      this.#editor.onDidBlurEditorText(() => {
        if (!this.#tabTrapOff) this.#setTabFocusOption(false);
      }),
    );
    this.#highlight = this.#editor.createDecorationsCollection();
    this.#peek = this.#editor.createDecorationsCollection();
    this.#markerListener = monaco.editor.onDidChangeMarkers((uris) => {
      const ours = new Set([...this.#models.values()].map((m) => m.uri.toString()));
      if (uris.some((u) => ours.has(u.toString()))) this.#publishProblems();
    });
  }

  #publishProblems(): void {
    const problems: Problem[] = [];
    for (const [path, model] of this.#models) {
      for (const m of monaco.editor.getModelMarkers({ resource: model.uri })) {
        if (m.owner === RUN_MARKER_OWNER || m.severity < monaco.MarkerSeverity.Warning) continue;
        const message = typeof m.message === 'string' ? m.message : String(m.message);
        problems.push({ path, line: m.startLineNumber, column: m.startColumn, message, severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : 'warning' });
      }
    }
    problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.path.localeCompare(b.path) || a.line - b.line);
    this.#options.onProblems?.(problems);
  }

  /**
   * Shows the lesson's files. For the lesson already shown (a reset) the existing models get the new text, so the
   * TypeScript service never sees a file vanish and reappear (stale "cannot find module" errors); for another
   * lesson the new models (their URIs are scoped by `key`) are created before the old ones are disposed.
   */
  setFiles(key: string, files: readonly LessonFile[], activePath: string): void {
    this.#loading = true;
    try {
      const samePaths = key === this.#lessonKey && files.length === this.#models.size && files.every((f) => this.#models.has(f.path));
      if (samePaths) {
        for (const f of files) {
          const model = this.#models.get(f.path)!;
          if (model.getValue() !== f.text) model.setValue(f.text);
        }
      } else {
        const old = [...this.#models.values()];
        const oldListeners = this.#disposables.splice(0);
        this.#models.clear();
        this.#lessonKey = key;
        const base = lessonModelBase(key);
        for (const f of files) {
          const uri = monaco.Uri.parse(base + f.path);
          monaco.editor.getModel(uri)?.dispose(); // left over from an earlier visit to this lesson
          const model = monaco.editor.createModel(f.text, languageOf(f.path), uri);
          this.#models.set(f.path, model);
          this.#disposables.push(model.onDidChangeContent(() => {
            if (!this.#loading) this.#options.onChange(f.path, model.getValue());
          }));
        }
        this.show(activePath);
        for (const d of oldListeners) d.dispose();
        for (const m of old) if (!m.isDisposed()) m.dispose();
        this.#publishProblems();
      }
      this.show(activePath);
    } finally {
      this.#loading = false;
    }
  }

  get lessonKey(): string {
    return this.#lessonKey;
  }

  show(path: string): void {
    const model = this.#models.get(path) ?? this.#models.values().next().value ?? null;
    if (this.#editor.getModel() !== model) this.#editor.setModel(model);
  }

  /**
   * Marks the line the program is at (when its file is the one shown) and scrolls it into view if it is outside;
   * the learner's own scrolling is left alone while the line stays visible.
   */
  highlightLine(path: string | null, line: number): void {
    const model = path ? this.#models.get(path) : undefined;
    if (!model || line <= 0 || line > model.getLineCount() || this.#editor.getModel() !== model) {
      this.#highlighted = null;
      this.#highlight.clear();
      return;
    }
    // Seeking often lands on the line already marked: skip Monaco's decoration and render work then.
    if (this.#highlighted?.model === model && this.#highlighted.line === line && this.#highlight.length > 0) return;
    this.#highlighted = { model, line };
    this.#highlight.set([{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'loopscope-step-line', linesDecorationsClassName: 'loopscope-step-gutter' } }]);
    this.#editor.revealLineInCenterIfOutsideViewport(line, monaco.editor.ScrollType.Smooth);
  }

  /** Marks a line of the file shown while a stage card pointing at it is hovered or focused (0 clears). */
  peekLine(line: number): void {
    const model = this.#editor.getModel();
    if (!model || line <= 0 || line > model.getLineCount()) return void this.#peek.clear();
    this.#peek.set([{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'loopscope-peek-line' } }]);
    this.#editor.revealLineInCenterIfOutsideViewport(line);
  }

  /** Shows a file at a line (a problem or a callback's source), with the cursor there. */
  reveal(path: string, line: number, column = 1): void {
    this.show(path);
    this.#editor.setPosition({ lineNumber: line, column });
    this.#editor.revealLineInCenter(line);
    this.#editor.focus();
  }

  /** Puts the error a failed run ended with on its line (a Monaco error marker with the message), or clears it. */
  setRunError(error: { path: string; line: number; column: number; message: string } | null): void {
    for (const model of this.#models.values()) monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, []);
    const model = error ? this.#models.get(error.path) : undefined;
    if (!error || !model) return;
    const line = Math.min(Math.max(1, error.line), model.getLineCount());
    monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, [{
      severity: monaco.MarkerSeverity.Error,
      message: `The run failed here: ${error.message}`,
      startLineNumber: line,
      startColumn: Math.max(1, error.column),
      endLineNumber: line,
      endColumn: model.getLineMaxColumn(line),
      source: 'run',
    }]);
  }

  /** Tab moves focus out of the editor (true) or indents (false). */
  setTabMovesFocus(moves: boolean): void {
    this.#tabTrapOff = moves;
    this.#setTabFocusOption(moves);
    this.#options.onTabMovesFocus?.(moves);
  }

  #setTabFocusOption(on: boolean): void {
    if (this.#tabFocusOption === on) return;
    this.#tabFocusOption = on;
    this.#editor.updateOptions({ tabFocusMode: on });
  }

  setTheme(dark: boolean): void {
    monaco.editor.setTheme(dark ? 'vs-dark' : 'vs');
  }

  setFontSize(px: number): void {
    this.#editor.updateOptions({ fontSize: px });
  }

  focus(): void {
    this.#editor.focus();
  }

  dispose(): void {
    this.#markerListener.dispose();
    for (const d of this.#disposables.splice(0)) d.dispose();
    for (const d of this.#editorListeners.splice(0)) d.dispose();
    this.#editor.dispose();
    for (const m of this.#models.values()) m.dispose();
    this.#models.clear();
  }
}
