/**
 * Which pages are the app's own. Packaged and built runs load the renderer from the
 * `app://nestlab/` scheme; `electron-vite dev` loads it from its dev server. Only a page
 * at one of these addresses may call the api or be navigated to.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'nestlab';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface AppOrigin {
  /** The address the window loads. */
  readonly entry: string;
  isOwn(url: string): boolean;
}

/** `devServer` is electron-vite's ELECTRON_RENDERER_URL, honoured only for unpackaged runs. */
export function appOrigin(devServer: string | undefined): AppOrigin {
  if (devServer) {
    const origin = new URL(devServer).origin;
    return { entry: devServer, isOwn: (url) => parsed(url)?.origin === origin };
  }
  return {
    entry: APP_ENTRY,
    // A custom scheme's URL origin is opaque ("null"), so compare scheme and host instead.
    isOwn: (url) => {
      const u = parsed(url);
      return u !== undefined && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
    },
  };
}

function parsed(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
