/** The api client inside Electron: every call goes through the preload's own method. */
import type { ApiClient, ApiEvents } from '../../../core/api/contract';
import type { ContractName } from '../../../core/api/names';
import type { NestlabBridge } from './bridge';

export class PreloadClient implements ApiClient {
  constructor(private readonly bridge: NestlabBridge) {}

  /** Typed by the contract's own member (see WebSocketClient.call). */
  readonly call: ApiClient['call'] = (name: ContractName, args: unknown) =>
    this.bridge[name](args) as never;

  onEvent<E extends keyof ApiEvents>(
    event: E,
    listener: (payload: ApiEvents[E]) => void,
  ): () => void {
    return this.bridge.onEvent((name, payload) => {
      if (name === event) listener(payload as ApiEvents[E]);
    });
  }
}
