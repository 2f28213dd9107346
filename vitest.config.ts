import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
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
          exclude: ['**/node_modules/**', 'test/e2e/**', 'src/renderer/**'],
        },
      },
      {
        // The renderer's components and stores, compiled as the app compiles them, in a DOM (jsdom).
        extends: true,
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.ts'],
          setupFiles: ['src/renderer/dom-shims.test-support.ts'],
        },
      },
    ],
  },
});
