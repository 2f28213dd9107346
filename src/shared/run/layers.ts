/**
 * The isolation layers a run reports (`RunEnd.layers`, written by src/runtime/launcher.ts and os-sandbox/), turned
 * into what the app shows: a short summary ("bubblewrap · permission model · limits") and, per layer, whether it
 * was active and what it means — or, when missing, why and what that leaves open. Pure: the renderer, the CLI and
 * the player may all use it.
 */

export interface LayerView {
  /** Short name for the summary ("bubblewrap", "permission model"). */
  readonly name: string;
  readonly active: boolean;
  /** One sentence: what it does, or why it is missing and what that means. */
  readonly detail: string;
}

export interface LayersView {
  readonly layers: readonly LayerView[];
  /** "bubblewrap · permission model · limits · empty environment"; missing layers are left out. */
  readonly summary: string;
  /** Whether the run had an OS sandbox around it (the layer the others rely on). */
  readonly osSandbox: boolean;
}

const inParens = (text: string): string => /\((.*)\)\s*$/.exec(text)?.[1] ?? '';

function osLayer(rest: string): LayerView {
  if (rest.startsWith('bubblewrap')) return { name: 'bubblewrap', active: true, detail: `OS sandbox (bubblewrap): ${inParens(rest) || 'no network, only the run folder and what Node needs'}.` };
  if (rest.startsWith('sandbox-exec')) return { name: 'sandbox-exec', active: true, detail: `OS sandbox (macOS sandbox-exec): ${inParens(rest) || 'no network, writes only in the run folder'}.` };
  const why = inParens(rest) || rest;
  if (/bwrap not found/.test(why)) return { name: 'OS sandbox', active: false, detail: 'bubblewrap not installed: runs are not OS-sandboxed (install the bubblewrap package).' };
  return { name: 'OS sandbox', active: false, detail: `No OS sandbox: ${why}. Runs are not OS-sandboxed; only the layers below hold.` };
}

/** Reads the layer strings of a run (unknown ones are shown as they are). */
export function describeLayers(raw: readonly string[] | undefined): LayersView {
  const layers: LayerView[] = [];
  let osSandbox = false;
  for (const text of raw ?? []) {
    if (typeof text !== 'string' || text.length === 0) continue;
    const line = text.slice(0, 400);
    if (line.startsWith('os-sandbox:')) {
      const view = osLayer(line.slice('os-sandbox:'.length).trim());
      osSandbox = view.active;
      layers.push(view);
    } else if (line.startsWith('limits:')) {
      const rest = line.slice('limits:'.length).trim();
      const missing = /unavailable|^none/.test(rest);
      const name = rest.startsWith('cgroup') ? 'cgroup' : rest.startsWith('rlimits') ? 'rlimits' : 'OS limits';
      layers.push({ name, active: !missing, detail: missing ? `${name === 'OS limits' ? 'No OS limits' : `No ${name}`}: ${inParens(rest) || rest}.` : `OS limits: ${rest}.` });
    } else if (line === 'node permission model') {
      layers.push({ name: 'permission model', active: true, detail: "Node's permission model: reads only the run folder and the runtime's files, writes only the run folder; no child processes, addons, inspector or WASI." });
    } else if (line === 'limits') {
      layers.push({ name: 'limits', active: true, detail: 'Run limits: wall clock, heap, memory, workers, console lines and trace events.' });
    } else if (line.startsWith('empty environment')) {
      layers.push({ name: 'empty environment', active: true, detail: `Empty environment${line.length > 'empty environment'.length ? ` ${line.slice('empty environment'.length).trim()}` : ''}: no variables of yours reach the lesson; stdin closed.` });
    } else {
      layers.push({ name: line, active: true, detail: line });
    }
  }
  const major = layers.filter((l) => l.active && l.name !== 'cgroup' && l.name !== 'rlimits' && l.name !== 'OS limits');
  const summary = [...(osSandbox ? [] : ['no OS sandbox']), ...major.map((l) => l.name)].join(' · ');
  return { layers, summary, osSandbox };
}
