/// <reference types="vitest/config" />
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Writes `file.gz` next to each text asset of the build: the server sends it to browsers
 * that accept gzip instead of the file (no compressing per request).
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'datamorph-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (statSync(file).isDirectory()) {
            if (name !== '.vite') walk(file);
          } else if (/\.(js|css|html|svg)$/.test(name) && statSync(file).size > 1024) {
            writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
          }
        }
      };
      walk(outDir);
    },
  };
}

// The C++ server serves web/dist at `/` and the API at `/api/v1` (same origin).
// `npm run dev` proxies the API to a local `datamorph serve` (DATAMORPH_URL, default :8080).
const apiTarget = process.env.DATAMORPH_URL ?? 'http://127.0.0.1:8080';

export default defineConfig(({ mode }) => ({
  plugins: [react(), precompress()],
  resolve: {
    // React Router's package exports point at its development build in every condition (dev
    // warnings on); the production build beside it is the same API without them.
    alias:
      mode === 'production'
        ? [
            {
              find: /^react-router$/,
              replacement: fileURLToPath(
                new URL('./node_modules/react-router/dist/production/index.mjs', import.meta.url),
              ),
            },
          ]
        : [],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: false },
      '/health': { target: apiTarget },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
}));
