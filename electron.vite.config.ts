/**
 * Builds the desktop app: electron/main.ts → out/main (ES module), electron/preload.ts →
 * out/preload/index.cjs (CommonJS, as a sandboxed preload must be), and the Svelte renderer
 * (renderer/index.html) → out/renderer, which the web host serves too. Building needs no
 * Electron binary: when the electron package is absent, its major version is assumed.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

/** The Electron major version this build targets (package.json's optional dependency). */
const ASSUMED_ELECTRON_MAJOR = '38';

function electronPresent(): boolean {
  try {
    createRequire(import.meta.url).resolve('electron/package.json');
    return true;
  } catch {
    return false;
  }
}

// electron-vite reads the version from node_modules/electron unless this is set.
if (!electronPresent()) process.env.ELECTRON_MAJOR_VER ??= ASSUMED_ELECTRON_MAJOR;

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      target: 'node22',
      // sim-worker: the simulation's own thread, so a run never stops main answering the window.
      lib: {
        entry: {
          index: resolve(root, 'electron/main.ts'),
          'sim-worker': resolve(root, 'core/node/sim-worker.ts'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      target: 'node22',
      // A sandboxed preload cannot load other files: bundle everything it uses.
      externalizeDeps: false,
      lib: { entry: { index: resolve(root, 'electron/preload.ts') }, formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      target: 'es2022',
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
