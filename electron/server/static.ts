// Static files of the built renderer: GET/HEAD only, no directory listing, nothing outside the root.
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Map a URL path to a file under root, or null when it would leave the root, names a hidden
 * file, or holds anything odd (NUL, backslash, bad percent-encoding).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  if (segments.length === 0) segments.push('index.html');
  const rootAbs = path.resolve(root);
  const file = path.resolve(rootAbs, ...segments);
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return null;
  return file;
}

/** Serve one request from root; returns after the response is finished or an error status was sent. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  const send = (status: number, body: string) => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(405, 'Method not allowed\n');
    return;
  }
  const urlPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  const file = resolveStaticPath(root, urlPath);
  if (!file) {
    send(400, 'Bad path\n');
    return;
  }
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync(file);
    const rootReal = fs.realpathSync(root);
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) {
      send(404, 'Not found\n');
      return;
    }
    stat = fs.statSync(real);
  } catch {
    send(404, 'Not found\n');
    return;
  }
  if (!stat.isFile()) {
    send(404, 'Not found\n');
    return;
  }
  const ext = path.extname(real).toLowerCase();
  const isHtml = ext === '.html';
  res.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': String(stat.size),
    // Hashed assets never change; the page itself is always re-read.
    'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
