// The layer rules catch what they promise: upward imports, electron outside main/preload, Node modules in code
// that runs without Node, and import cycles.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, layerOf } from './layers.js';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function layerMessages(filePath, code) {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layers/imports', () => {
  it('names the layer of every src folder', () => {
    expect(layerOf(root, join(root, 'src/shared/trace/model.ts'))).toBe('shared');
    expect(layerOf(root, join(root, 'src/services/lessons/load.ts'))).toBe('services');
    expect(layerOf(root, join(root, 'src/renderer/src/app/frame-loop.ts'))).toBe('renderer/app');
    expect(layerOf(root, join(root, 'src/renderer/src/timeline/Timeline.svelte'))).toBe('renderer');
    expect(layerOf(root, join(root, 'test/support/fakes.ts'))).toBe(null);
  });

  it('refuses upward imports and lets downward ones through', async () => {
    expect(await layerMessages('src/shared/trace/x.ts', "import { runHeadless } from '../../runtime/headless.ts';\n")).toEqual([
      'src/shared may not import src/runtime (layers: shared; see docs/ARCHITECTURE.md)',
    ]);
    expect(await layerMessages('src/runtime/x.ts', "import { LessonStore } from '../services/store/lesson-store.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/services/x.ts', "import { menuTemplate } from '../main/menu.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/server/x.ts', "import { x } from '../cli/main.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/renderer/src/editor/x.ts', "import kit from '../../../runtime/kit/kit.d.ts?raw';\n")).toHaveLength(1);
    expect(await layerMessages('src/html-player/x.ts', "import { x } from '../renderer/src/app/keymap.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/renderer/src/app/x.ts', "import { RunStore } from '../run/run-store.svelte.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/main/x.ts', "import { AppService } from '../services/app/app-service.ts';\nimport { TraceModel } from '../shared/trace/model.ts';\n")).toEqual([]);
    expect(await layerMessages('src/renderer/src/run/x.ts', "import { frameLoop } from '../app/frame-loop.ts';\n")).toEqual([]);
  });

  it('keeps electron in main and preload, and Node out of shared and the renderer', async () => {
    expect(await layerMessages('src/services/x.ts', "import { app } from 'electron';\n")).toEqual(['only src/main and src/preload may import electron (this is src/services)']);
    expect(await layerMessages('src/main/x.ts', "import { app } from 'electron';\n")).toEqual([]);
    expect(await layerMessages('src/shared/x.ts', "import { readFileSync } from 'node:fs';\n")).toEqual(['src/shared runs without Node: it may not import node:fs']);
    expect(await layerMessages('src/renderer/src/x.ts', "import { join } from 'path';\n")).toHaveLength(1);
  });

  it('lets only tests reach outside src/', async () => {
    expect(await layerMessages('src/services/x.ts', "import { FakeRuntime } from '../../test/support/fakes.ts';\n")).toHaveLength(1);
    expect(await layerMessages('src/services/x.test.ts', "import { FakeRuntime } from '../../test/support/fakes.ts';\n")).toEqual([]);
  });
});

describe('layers/no-cycle', () => {
  it('finds a cycle through any number of files, and none in a chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-layers-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a/one.ts'), "import { two } from './two.ts';\nexport const one = two;\n");
    writeFileSync(join(dir, 'a/two.ts'), "// import { no } from './nothing.ts';\nimport type { Three } from '../three.ts';\nexport const two = 2;\n");
    writeFileSync(join(dir, 'three.ts'), "export type Three = 3;\nconst lazy = () => import('./a/one.ts');\n");
    writeFileSync(join(dir, 'chain.ts'), "import { one } from './a/one.ts';\nexport const four = one;\n");
    expect(findCycles(importGraph(dir))).toEqual([[join(dir, 'a/one.ts'), join(dir, 'a/two.ts'), join(dir, 'three.ts')]]);
    writeFileSync(join(dir, 'three.ts'), 'export type Three = 3;\n');
    expect(findCycles(importGraph(dir))).toEqual([]);
  });

  it('finds none in src/', () => {
    expect(findCycles(importGraph(join(root, 'src')))).toEqual([]);
  });
});
