import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/security/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'src/renderer/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
