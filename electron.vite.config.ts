/**
 * Desktop build (electron-vite): main (ESM), preload (CommonJS: sandboxed preloads cannot be ES modules) and the
 * renderer (the same Vite config browser mode builds with, src/server/renderer-build.ts).
 *
 * The runtime (src/runtime) is not bundled into main: it forks its host process from its own source files
 * (`host.ts` next to host-client.ts), so src/main/index.ts imports it from the source tree at run time.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './src/server/renderer-build.ts';

const root = import.meta.dirname;

export default defineConfig(async () => ({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs' as const, entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...(await rendererConfig(root)),
    build: {
      ...(await rendererConfig(root)).build,
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
}));
