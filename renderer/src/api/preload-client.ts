/** The api client inside Electron: every call goes through the preload's own method. */
import type { ApiClient, ApiEvents, ArgsOf, ResultOf } from '../../../core/api/contract';
import type { EditName, QueryName } from '../../../core/api/names';
import type { NestlabBridge } from './bridge';

export class PreloadClient implements ApiClient {
  constructor(private readonly bridge: NestlabBridge) {}

  call<K extends QueryName | EditName>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    const method = this.bridge[name];
    return method(args) as Promise<ResultOf<K>>;
  }

  onEvent<E extends keyof ApiEvents>(
    event: E,
    listener: (payload: ApiEvents[E]) => void,
  ): () => void {
    return this.bridge.onEvent((name, payload) => {
      if (name === event) listener(payload as ApiEvents[E]);
    });
  }
}
