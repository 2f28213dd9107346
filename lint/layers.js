// Layer rules for `npm run lint` (docs/ARCHITECTURE.md shows the picture). Two rules:
//
// - `layers/imports`: each folder of src/ is a layer, and an import may only point at the layers the table below
//   allows (relative imports are resolved to the file they name, so a `../../` cannot sneak past). Only src/main and
//   src/preload may import electron; src/shared, the renderer and the HTML player may not import Node's modules.
// - `layers/no-cycle`: no import cycle among the files of src/ (type-only imports count too: a cycle of types is
//   still two files that cannot be understood apart).
//
// Why local rules instead of a plugin from the registry: the table is ours and short, the resolution is the plain
// relative-path one our code uses (every import names its file with its extension), and it costs no dependency.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Which layers each layer may import (itself included). Tests beside code follow their folder's row. */
export const ALLOWED = {
  shared: ['shared'],
  runtime: ['shared', 'runtime'],
  services: ['shared', 'runtime', 'services'],
  main: ['shared', 'runtime', 'services', 'main'],
  server: ['shared', 'runtime', 'services', 'server'],
  cli: ['shared', 'runtime', 'services', 'cli'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
  // App-wide services of the renderer sit below its features: they import no feature.
  'renderer/app': ['shared', 'renderer/app'],
  'html-player': ['shared', 'html-player'],
};
const ELECTRON_LAYERS = new Set(['main', 'preload']);
const NO_NODE_LAYERS = new Set(['shared', 'renderer', 'renderer/app', 'html-player']);

/** The layer of an absolute path under `root`, or null outside src/ (tests, benchmarks, configs). */
export function layerOf(root, file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] !== 'src' || parts.length < 3) return null;
  const top = parts[1];
  if (top === 'renderer') return parts[2] === 'src' && parts[3] === 'app' && parts.length > 4 ? 'renderer/app' : 'renderer';
  return top in ALLOWED ? top : null;
}

/** The layer the rules compare against: a renderer file in app/ is also in the renderer. */
function allows(from, to) {
  const allowed = ALLOWED[from];
  if (allowed.includes(to)) return true;
  return to === 'renderer/app' && allowed.includes('renderer');
}

const isTest = (file) => /\.test\.ts$|\.test-support\.ts$/.test(file);

function specifiers(node) {
  if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) return node.source;
  if (node.type === 'ImportExpression' && node.source.type === 'Literal') return node.source;
  return null;
}

const importsRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'imports follow the layer table in lint/layers.js' } },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from) return {};
    const check = (node) => {
      const source = specifiers(node);
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.split('?')[0]);
        const to = layerOf(root, target);
        if (to && !allows(from, to)) {
          context.report({ node: source, message: `src/${from} may not import src/${to} (layers: ${ALLOWED[from].join(', ')}; see docs/ARCHITECTURE.md)` });
        } else if (!to && !isTest(file) && !relative(root, target).startsWith('node_modules')) {
          context.report({ node: source, message: `src/${from} may not import ${relative(root, target)}: outside src/ only tests may reach` });
        }
        return;
      }
      if ((spec === 'electron' || spec.startsWith('electron/')) && !ELECTRON_LAYERS.has(from)) {
        context.report({ node: source, message: `only src/main and src/preload may import electron (this is src/${from})` });
      } else if (NO_NODE_LAYERS.has(from) && isBuiltin(spec) && !isTest(file)) {
        context.report({ node: source, message: `src/${from} runs without Node: it may not import ${spec}` });
      }
    };
    return { ImportDeclaration: check, ExportAllDeclaration: check, ExportNamedDeclaration: check, ImportExpression: check };
  },
};

// --- cycles ---------------------------------------------------------------------------------------------------

const IMPORT_RE = /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?from\s*(['"])(\.{1,2}\/[^'"]+)\1|(?:^|[\s;(=])import\s*\(\s*(['"])(\.{1,2}\/[^'"]+)\3|^\s*import\s+(['"])(\.{1,2}\/[^'"]+)\5/gm;

/** Relative imports of every source file under src/, as absolute paths of files that exist. */
export function importGraph(srcDir) {
  const graph = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // `built/` folders hold generated bundles (git-ignored: the run process's, the CLI's), not sources.
      if (entry.isDirectory()) { if (entry.name !== 'built') walk(path); }
      else if (/\.(ts|svelte|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) graph.set(path, []);
    }
  };
  walk(srcDir);
  for (const [file, out] of graph) {
    // Strip comments so a path in prose is not an edge.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = (m[2] ?? m[4] ?? m[6]).split('?')[0];
      const target = resolve(dirname(file), spec);
      if (graph.has(target) || existsSync(target)) out.push(target);
    }
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function findCycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

let cycleCache = null; // one lint run scans src/ once
function cycleOf(root, file) {
  if (!cycleCache || cycleCache.root !== root) {
    const byFile = new Map();
    for (const cycle of findCycles(importGraph(join(root, 'src')))) for (const f of cycle) byFile.set(f, cycle);
    cycleCache = { root, byFile };
  }
  return cycleCache.byFile.get(file);
}

const noCycleRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'no import cycles among the files of src/' } },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    if (!layerOf(root, file)) return {};
    return {
      Program(node) {
        const cycle = cycleOf(root, file);
        if (cycle) context.report({ node, loc: { line: 1, column: 0 }, message: `import cycle among: ${cycle.map((f) => relative(root, f)).join(", ")}` });
      },
    };
  },
};

export default { meta: { name: 'loopscope-layers' }, rules: { imports: importsRule, 'no-cycle': noCycleRule } };
