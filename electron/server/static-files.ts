// Serves the built renderer, and nothing outside it: not by `..`, not through a symlink.
import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** The real path of the file `pathname` names, when it lies inside the root's real path; else null. */
async function fileInside(root: string, pathname: string): Promise<string | null> {
  const decoded = pathname === '/' ? '/index.html' : decodedPath(pathname);
  if (decoded === null || decoded.includes('\0')) return null;
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, decoded));
    return file.startsWith(realRoot + sep) ? file : null;
  } catch {
    return null;
  }
}

/** Answers every request, 200 or 404; never rejects. */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const file = await fileInside(root, pathname);
  const body = file === null ? null : await readFile(file).catch(() => null);
  if (file === null || body === null) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': extname(file) === '.html' ? 'no-store' : 'private, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  response.end(body);
}
