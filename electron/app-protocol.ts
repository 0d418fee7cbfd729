/**
 * Serves the built renderer (out/renderer) on `app://nestlab/`, with the same path checks,
 * content types and Content-Security-Policy as the web host. A standard, secure scheme
 * gives the page a real origin without file:// and its broad reach.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import {
  contentTypeOf,
  rendererRootOrUndefined,
  resolveStaticFile,
  SECURITY_HEADERS,
} from '../core/node/web-static';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererFolder: string): void {
  const root = rendererRootOrUndefined(rendererFolder);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = root && url.host === APP_HOST ? resolveStaticFile(root, url.pathname) : undefined;
    if (!file) return new Response('Not found.', { status: 404, headers: SECURITY_HEADERS });
    const body = await readFile(file);
    return new Response(body, {
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file) },
    });
  });
}
