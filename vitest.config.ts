import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';
import { kitTypings } from './src/server/renderer-build.ts';

export default defineConfig({
  // the editor's typings module, generated exactly as the renderer build does (lesson-typings.test.ts checks lessons against it)
  plugins: [kitTypings(import.meta.dirname)],
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'lint/**/*.test.js', 'test/conformance/**/*.test.ts', 'test/security/**/*.test.ts', 'test/checkout/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/e2e/**', 'src/renderer/**', 'src/html-player/**'],
        },
      },
      {
        // The renderer's components and stores, compiled as the app compiles them, in a DOM (jsdom); and the
        // exported HTML player's views, which build their DOM by hand.
        extends: true,
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.ts', 'src/html-player/**/*.test.ts'],
          setupFiles: ['src/renderer/dom-shims.test-support.ts'],
        },
      },
    ],
  },
});
