import { defineConfig } from 'vitest/config';

// One run, four projects: unit tests sit next to their code; tests/ holds the cross-package ones.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'] } },
      { test: { name: 'sync-server', include: ['sync-server/src/**/*.test.ts'], pool: 'forks' } },
      {
        test: {
          name: 'pwa',
          include: ['pwa/src/**/*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
