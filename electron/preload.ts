/**
 * The preload: exposes `window.nestlab`, a frozen object with exactly one function per api
 * contract entry, each bound to that entry's own IPC channel, plus `onEvent`. There is no
 * way to name a channel from the page, and nothing of Electron or Node leaks through.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CONTRACT_NAMES, channelOf, EVENT_CHANNEL, type ContractName } from '../core/api/names';

type EventListener = (event: string, payload: unknown) => void;

function entry(name: ContractName): (args: unknown) => Promise<unknown> {
  const channel = channelOf(name);
  return (args) => ipcRenderer.invoke(channel, args);
}

function onEvent(listener: EventListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
  const relay = (_event: IpcRendererEvent, ...args: unknown[]): void => {
    const [name, payload] = args;
    if (typeof name === 'string') listener(name, payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  };
}

const methods = Object.fromEntries(CONTRACT_NAMES.map((name) => [name, entry(name)] as const));

contextBridge.exposeInMainWorld('nestlab', Object.freeze({ ...methods, onEvent }));
