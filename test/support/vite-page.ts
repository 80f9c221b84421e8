// A test page under test/browser/, built by Vite with its default settings (as
// an app would be, workers included) into a temporary folder and served on
// 127.0.0.1 twice: as most sites serve pages, and cross-origin isolated (the
// COOP and COEP headers that let a page share memory with its workers).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

export interface ServedPage {
  url: string;
  /** The same page, served with the headers that make it cross-origin isolated. */
  isolatedUrl: string;
  close(): Promise<void>;
}

const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Builds test/browser/index.html and serves the result; close() stops the server and removes the build. */
export async function serveTestPage(): Promise<ServedPage> {
  const root = fileURLToPath(new URL('../browser/', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'agent-credit-browser-'));
  try {
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false } });
  } catch (error) {
    // The caller gets no page to close: remove the build directory here.
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  const plain = await serve(outDir, {});
  const isolated = await serve(outDir, ISOLATION_HEADERS);
  return {
    url: `${plain.origin}/index.html`,
    isolatedUrl: `${isolated.origin}/index.html`,
    async close() {
      await Promise.all([plain.close(), isolated.close()]);
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

async function serve(outDir: string, headers: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '') || 'index.html';
    if (path === 'favicon.ico') return void response.writeHead(204).end();
    try {
      const body = readFileSync(join(outDir, path));
      response.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
