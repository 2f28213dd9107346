import { defineConfig } from 'vitest/config';
import { kitTypings } from './src/server/renderer-build.ts';

export default defineConfig({
  // the editor's typings module, generated exactly as the renderer build does (lesson-typings.test.ts checks lessons against it)
  plugins: [kitTypings(import.meta.dirname)],
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'lint/**/*.test.js', 'test/conformance/**/*.test.ts', 'test/security/**/*.test.ts', 'test/checkout/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
