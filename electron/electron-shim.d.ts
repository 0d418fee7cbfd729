/**
 * The part of Electron's API that main.ts and preload.ts use, so the shell type-checks on
 * machines where the electron package (and its binary) could not be installed. Where
 * node_modules/electron is present, its own declarations merge with these (they agree: this
 * is a subset) and skipLibCheck keeps the duplicate names quiet.
 */
declare module 'electron' {
  export interface WebFrameMain {
    readonly url: string;
    readonly parent: WebFrameMain | null;
  }

  export interface Event {
    preventDefault(): void;
  }

  export interface WebContents {
    readonly id: number;
    readonly mainFrame: WebFrameMain;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
    on(
      event: 'will-navigate' | 'will-redirect',
      listener: (event: Event, url: string) => void,
    ): this;
    on(event: 'will-attach-webview', listener: (event: Event) => void): this;
  }

  export interface WebPreferences {
    preload?: string;
    sandbox?: boolean;
    contextIsolation?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    spellcheck?: boolean;
  }

  export interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    backgroundColor?: string;
    webPreferences?: WebPreferences;
  }

  export class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    static getAllWindows(): BrowserWindow[];
    readonly webContents: WebContents;
    loadURL(url: string): Promise<void>;
    show(): void;
    isDestroyed(): boolean;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
    focus(): void;
    isMinimized(): boolean;
    restore(): void;
  }

  export interface MessageBoxOptions {
    type?: 'none' | 'info' | 'error' | 'question' | 'warning';
    buttons?: string[];
    defaultId?: number;
    cancelId?: number;
    title?: string;
    message: string;
    detail?: string;
  }

  export interface Dialog {
    showMessageBox(
      window: BrowserWindow | undefined,
      options: MessageBoxOptions,
    ): Promise<{ response: number }>;
    showErrorBox(title: string, content: string): void;
  }

  export interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }

  export interface IpcMain {
    handle(
      channel: string,
      listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
    ): void;
  }

  export interface IpcRendererEvent {
    readonly sender: unknown;
  }

  export interface IpcRenderer {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): this;
    removeListener(
      channel: string,
      listener: (event: IpcRendererEvent, ...args: unknown[]) => void,
    ): this;
  }

  export interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: unknown): void;
  }

  export interface MenuItemConstructorOptions {
    label?: string;
    role?:
      | 'appMenu'
      | 'fileMenu'
      | 'editMenu'
      | 'windowMenu'
      | 'quit'
      | 'reload'
      | 'toggleDevTools'
      | 'resetZoom'
      | 'zoomIn'
      | 'zoomOut'
      | 'togglefullscreen';
    type?: 'normal' | 'separator' | 'submenu';
    submenu?: MenuItemConstructorOptions[];
  }

  export class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }

  export interface CustomScheme {
    scheme: string;
    privileges?: {
      standard?: boolean;
      secure?: boolean;
      supportFetchAPI?: boolean;
      corsEnabled?: boolean;
    };
  }

  export interface Protocol {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  }

  export interface Session {
    setPermissionRequestHandler(
      handler:
        | ((
            contents: WebContents,
            permission: string,
            callback: (granted: boolean) => void,
          ) => void)
        | null,
    ): void;
    setPermissionCheckHandler(
      handler: ((contents: WebContents | null, permission: string) => boolean) | null,
    ): void;
  }

  export interface App {
    readonly isPackaged: boolean;
    getAppPath(): string;
    whenReady(): Promise<void>;
    isReady(): boolean;
    quit(): void;
    getPath(name: 'userData'): string;
    requestSingleInstanceLock(): boolean;
    addRecentDocument(path: string): void;
    on(event: 'window-all-closed' | 'activate' | 'will-quit', listener: () => void): this;
    on(event: 'open-file', listener: (event: Event, path: string) => void): this;
    on(
      event: 'second-instance',
      listener: (event: Event, argv: string[], workingDirectory: string) => void,
    ): this;
    on(
      event: 'web-contents-created',
      listener: (event: Event, contents: WebContents) => void,
    ): this;
  }

  export const app: App;
  export const ipcMain: IpcMain;
  export const ipcRenderer: IpcRenderer;
  export const contextBridge: ContextBridge;
  export const protocol: Protocol;
  export const session: { readonly defaultSession: Session };
  export const dialog: Dialog;
}

declare namespace NodeJS {
  interface Process {
    /** Electron: the packaged app's resources folder. */
    readonly resourcesPath: string;
  }
}
