import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets onnxruntime-web use WASM threads (DESIGN.md: without it ORT silently uses one).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app's Content-Security-Policy (served by vite preview; deployments should send the same header).
 * No inline script; 'wasm-unsafe-eval' only because onnxruntime-web compiles WebAssembly; workers from self only;
 * nothing fetched from another origin. The dev server goes without it: Vite's hot reload injects inline script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MODELS_DIR = resolve(import.meta.dirname, 'models');
const CONTENT_TYPES: Record<string, string> = { '.json': 'application/json', '.tsv': 'text/tab-separated-values', '.onnx': 'application/octet-stream' };

/** Serves the committed models/ folder at /models/ (dev and preview) and copies it into the build. */
function modelsFolder(): Plugin {
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    if (!path.startsWith('/models/')) return next();
    const file = resolve(MODELS_DIR, `.${path.slice('/models'.length)}`);
    if (!file.startsWith(MODELS_DIR + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    createReadStream(file).pipe(res);
  };
  return {
    name: 'rolegen-models-folder',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      if (!existsSync(MODELS_DIR)) return;
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(MODELS_DIR)) {
        if (!(extname(file) in CONTENT_TYPES)) continue;
        this.emitFile({ type: 'asset', fileName: `models/${relative(MODELS_DIR, file).split(sep).join('/')}`, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), modelsFolder()],
  // 'mpa' serves missing files as real 404s instead of index.html, which model runtimes would misparse.
  appType: 'mpa',
  server: { headers: isolationHeaders },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // bench.html is the measurement harness npm run bench drives; the product is index.html.
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), bench: resolve(import.meta.dirname, 'bench.html') } },
  },
});
