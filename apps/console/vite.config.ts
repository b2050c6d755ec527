import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web console and the development GraphiQL page, built to dist/console and served by the
 * API (`/` and `/graphiql`). Everything is bundled: the pages load nothing from another host.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    // Inline nothing as data: URLs that a strict CSP (img-src 'self' data:, font-src 'self') would refuse to run.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { console: fileURLToPath(new URL('index.html', import.meta.url)), graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)) },
      // GraphiQL's React compiler runtime carries a "use no memo" directive the bundler drops harmlessly.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
