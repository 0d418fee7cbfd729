/**
 * Serving the built renderer (out/renderer) as static files, shared by the web host and the
 * Electron app protocol. Guarantees: a request path never resolves outside the root (no
 * `..`, no encoded separators, no NUL, no symlink escape), every file gets an explicit
 * content type and `nosniff`, and every page the same Content-Security-Policy.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

/**
 * The renderer needs nothing but its own origin: scripts and styles from files (no inline
 * code), its api over the same origin's WebSocket, data/blob images for canvas exports.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every static response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The folder the built renderer lives in, or undefined when `npm run build` has not run. */
export function rendererRootOrUndefined(folder: string): string | undefined {
  return existsSync(resolve(folder, 'index.html')) ? realpathSync(folder) : undefined;
}

/**
 * Maps a URL path (`/`, `/assets/index-abc.js`) to a file under `root`, or undefined when it
 * names nothing servable. `root` must be a real (symlink-free) absolute path.
 */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/'))
    return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const relative = segments.length === 0 ? 'index.html' : segments.join(sep);
  const candidate = resolve(root, relative);
  if (!isInside(root, candidate) || !existsSync(candidate)) return undefined;
  const real = realpathSync(candidate);
  if (!isInside(root, real) || !statSync(real).isFile()) return undefined;
  return real;
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}
