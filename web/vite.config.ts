import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist at "/" with an SPA fallback, so the app is built for the root path.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // For hot reload run `npx vite --config web/vite.config.ts` next to `npm run dev` (the API on :3000).
    proxy: { '/api': 'http://localhost:3000' },
  },
});
