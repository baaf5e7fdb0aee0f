import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';

/**
 * The dev server injects component styles as <style> tags, which the page's strict CSP refuses. Only under
 * `npm run dev` is style-src widened to allow them; built pages keep the strict policy.
 */
const devStylesUnderCsp: Plugin = {
  name: 'proctor-dev-styles-under-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

// One layout for three builds: Electron main and preload (Node side) and the renderer (web side).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The headless server and the `proctor` command share main's build (plain Node, no electron import):
        // out/main/server.js and out/main/proctor.js.
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          server: resolve(__dirname, 'electron/server/index.ts'),
          proctor: resolve(__dirname, 'electron/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can `require` only electron: bundle the contract (and zod) into it.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // A sandboxed preload cannot `require` ES modules: ship it as one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: 'out/renderer',
      // Headless mode serves this bundle over HTTP; Electron reads it from disk. Minified, it is less than half
      // the size, and Vue's production build drops its dev-only checks either way.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
    plugins: [vue(), devStylesUnderCsp],
  },
});
