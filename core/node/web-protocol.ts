/**
 * The web host's message format over one WebSocket: a request `{ id, method, args }` gets
 * exactly one reply, `{ id, result }` with the service's value (expected failures are values
 * there too), or `{ id, error }` when the envelope itself is wrong (malformed JSON, a missing
 * id, an unknown method) or the service threw. Events go out as `{ event, payload }`.
 * Nothing here trusts the peer: the service re-validates every argument.
 */
import { isContractName } from '../api/names';

/** Largest message accepted (lab.openText carries up to 6 MiB of YAML, JSON-escaped). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export type RequestId = number | string;

export type EnvelopeErrorCode = 'malformed-message' | 'unknown-method' | 'internal-error';

export type ServerMessage =
  | { readonly id: RequestId; readonly result: unknown }
  | {
      readonly id: RequestId | null;
      readonly error: { readonly code: EnvelopeErrorCode; readonly message: string };
    }
  | { readonly event: string; readonly payload: unknown };

/** What the host needs of the service: untrusted name and arguments in, a value out. */
export interface CallTarget {
  call(name: unknown, args: unknown): unknown;
}

function envelopeError(
  id: RequestId | null,
  code: EnvelopeErrorCode,
  message: string,
): ServerMessage {
  return { id, error: { code, message } };
}

function isRequestId(value: unknown): value is RequestId {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && value.length > 0 && value.length <= 100)
  );
}

/** Handles one incoming text message and returns the one reply to send. */
export function dispatchMessage(
  target: CallTarget,
  raw: string,
  log: (message: string) => void,
): ServerMessage {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return envelopeError(null, 'malformed-message', 'The message is not valid JSON.');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return envelopeError(null, 'malformed-message', 'A request is an object { id, method, args }.');
  }
  const { id, method, args } = message as Record<string, unknown>;
  if (!isRequestId(id)) {
    return envelopeError(null, 'malformed-message', 'A request needs an id (integer or string).');
  }
  if (!isContractName(method)) {
    return envelopeError(id, 'unknown-method', `There is no api entry ${JSON.stringify(method)}.`);
  }
  try {
    return { id, result: target.call(method, args ?? {}) };
  } catch (error) {
    log(`nestlab serve: ${method} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return envelopeError(
      id,
      'internal-error',
      `${method} failed inside the core; see the host's log.`,
    );
  }
}
