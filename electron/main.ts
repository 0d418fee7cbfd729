/**
 * The desktop shell and nothing more: one window (sandboxed, context-isolated, no Node in
 * the page), the api service over IPC, a small menu, and a refusal of every navigation,
 * new window, webview and permission request. The core does all the deciding.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, session, type MenuItemConstructorOptions } from 'electron';
import { NestlabService } from '../core/api/service';
import { folderLibrary } from '../core/node/lab-library';
import { appOrigin } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { forwardEvents, registerContract } from './ipc';

/** out/main/index.js → out/preload, out/renderer. */
const outDir = fileURLToPath(new URL('..', import.meta.url));
const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origin = appOrigin(devServer);

let mainWindow: BrowserWindow | null = null;

function labsFolder(): string {
  return app.isPackaged ? join(process.resourcesPath, 'labs') : join(app.getAppPath(), 'labs');
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Nestlab',
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(origin.entry);
  return window;
}

function buildMenu(): void {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Every web contents: no navigation away, no new windows, no webviews. */
function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayHome = (event: { preventDefault(): void }, url: string): void => {
      if (!origin.isOwn(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

registerAppScheme();
lockDown();

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(outDir, 'renderer'));
  const service = new NestlabService(folderLibrary(labsFolder()));
  registerContract(service, () => mainWindow, origin);
  forwardEvents(service, () => mainWindow);
  buildMenu();
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
