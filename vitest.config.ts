import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // Integration tests start real registries and git repositories; give them room on 2-core runners.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
