/**
 * The desktop shell and nothing more: one window (sandboxed, context-isolated, no Node in
 * the page), the api service over IPC with the store in the app's data folder and the
 * simulation in a worker thread (a run never stops main answering the window), a small
 * menu, lab files given on the command line or by the OS, and a refusal of every navigation,
 * new window, webview and permission request. The core does all the deciding.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { NestlabService } from '../core/api/service';
import type { Persistence } from '../core/api/persistence';
import { folderLibrary } from '../core/node/lab-library';
import { openStore, type SqliteStore } from '../core/node/store';
import { WorkerSimRunner } from '../core/node/worker-sim-runner';
import { labPathsIn, openLabFile } from './lab-files';
import { appOrigin } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { forwardEvents, registerContract } from './ipc';

/** out/main/index.js → out/preload, out/renderer. */
const outDir = fileURLToPath(new URL('..', import.meta.url));
const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origin = appOrigin(devServer);

/** The simulation's own thread (out/main/sim-worker.js): main keeps answering the window. */
const simRunner = new WorkerSimRunner(new URL('./sim-worker.js', import.meta.url));
/** The objectives' checks in a worker of their own: a check never delays a ping. */
const gradeRunner = new WorkerSimRunner(new URL('./sim-worker.js', import.meta.url));
let mainWindow: BrowserWindow | null = null;
let service: NestlabService | null = null;
let store: SqliteStore | null = null;
/** Lab files given before the service was ready (macOS sends open-file early). */
const pendingFiles: string[] = labPathsIn(process.argv.slice(app.isPackaged ? 1 : 2));

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

/**
 * Every web contents: no navigation away, no new windows, no webviews. A link a lab's text
 * opens in a new window (Markdown links do) goes to the user's browser instead, and only when
 * it is a web address: never a file, a custom scheme or a command.
 */
function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isWebAddress(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    const stayHome = (event: { preventDefault(): void }, url: string): void => {
      if (!origin.isOwn(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function isWebAddress(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The store in Electron's userData folder (NESTLAB_DATA overrides it, for tests). */
function openPersistence(): Persistence | undefined {
  const folder = process.env.NESTLAB_DATA || app.getPath('userData');
  const opened = openStore(folder);
  if (opened.ok) {
    store = opened.store;
    return store;
  }
  dialog.showErrorBox(
    'Nestlab cannot save your work',
    `${opened.message}\n\nNestlab will run, but your work is kept only until it closes.`,
  );
  return undefined;
}

function openFiles(paths: readonly string[]): void {
  if (!service) {
    pendingFiles.push(...paths);
    return;
  }
  const target = service;
  void paths.reduce<Promise<void>>(
    (previous, path) => previous.then(() => openLabFile(target, path, mainWindow ?? undefined)),
    Promise.resolve(),
  );
}

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', (_event, argv, workingDirectory) => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
  openFiles(labPathsIn(argv.slice(1), workingDirectory));
});
app.on('open-file', (event, path) => {
  event.preventDefault();
  openFiles([path]);
});

registerAppScheme();
lockDown();

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(outDir, 'renderer'));
  const persistence = openPersistence();
  service = new NestlabService(folderLibrary(labsFolder()), {
    ...(persistence ? { persistence } : {}),
    simRunner,
    gradeRunner,
    clock: Date.now,
  });
  registerContract(service, () => mainWindow, origin);
  forwardEvents(service, () => mainWindow);
  buildMenu();
  mainWindow = createWindow();
  openFiles(pendingFiles.splice(0));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  simRunner.close();
  gradeRunner.close();
  store?.close();
});
