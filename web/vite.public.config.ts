import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { sharedHead } from './html-head';

// The citizen pages (public procedure list, dossier lookup) as their own small build: entry
// public.html, no staff shell, only the public messages of vi.ts/en.ts. A separate build so that
// nothing is shared with the staff chunks and tree-shaking drops the staff dictionary.
// The server maps /tra-cuu and /thu-tuc to dist/public.html.
export default defineConfig({
  plugins: [svelte(), sharedHead()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    manifest: '.vite/manifest.public.json',
    // One stylesheet for the citizen pages and no preload helper: the lazily loaded pages then
    // need no loader code in the entry (its first load has a 25 KB budget).
    modulePreload: false,
    cssCodeSplit: false,
    rollupOptions: { input: 'public.html' },
  },
});
