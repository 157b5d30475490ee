import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { sharedHead } from './html-head';

// The API server listens on 8080 during development; everything it owns is proxied so the SPA
// talks to it same-origin, exactly as in production where the server also serves web/dist.
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte(), svelteTesting(), sharedHead()],
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  build: {
    target: 'es2022',
    // scripts/size-budget.mjs reads the manifest to tell first-load JS from route chunks.
    manifest: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the shell loads at start-up goes in one chunk: left to itself, the bundler
        // splits it by which lazy chunks share each module (the charts share only Svelte), and
        // every extra first-load chunk costs gzip overhead against the 40 KB budget.
        //
        // The small shared pieces of the pages (lib/: list page, alert, dialog, pager, formats, the
        // shared components …) go in one chunk too: on a phone's line each extra request waits its
        // turn (six at a time over HTTP/1.1), a village head's home asked for twenty of them, and
        // one chunk a component would add a name to the shell's preload map for each new one.
        codeSplitting: {
          groups: [
            { name: 'shell', tags: ['$initial'], priority: 2 },
            { name: 'common', test: /[\\/]src[\\/]lib[\\/]/, minShareCount: 2, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/tests/setup.ts'],
    // Larger than the 15 s of `waitFor`/`findBy*` (src/tests/setup.ts), so a slow lazy chunk on
    // a busy machine fails as a clear "unable to find" rather than a bare timeout, or not at all.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
