import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Builds the renderer (React + MUI) to dist/renderer, which the bridge serves at `/` and Electron loads.
// Relative asset URLs (base './') work under both the bridge's http origin and Electron's custom protocol.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
