import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Notebook, browser and database tests start kernels, Chromium and servers: generous limits,
    // so a loaded CI machine fails on a real fault, not on a slow start.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
