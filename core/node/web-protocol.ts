/**
 * The web host's message format over one WebSocket: a request `{ id, method, args }` gets
 * exactly one reply, `{ id, result }` with the service's value (expected failures are values
 * there too), or `{ id, error }` when the envelope itself is wrong (malformed JSON, a missing
 * id, an unknown method), the service threw or rejected (`internal-error`), the reply cannot
 * be sent (`reply-too-large`), or the client has too many requests in flight (`busy`).
 * Events go out as `{ event, payload }`.
 * Guarantees: nothing here trusts the peer (the service re-validates every argument), and
 * nothing here throws or rejects: `answer` awaits the service's Promise (a plain value is
 * answered at once) and turns a throw or a rejection into `internal-error`; the
 * MessageWriter turns a reply it cannot write within MAX_REPLY_BYTES into an envelope error,
 * and hands back no text for such an event.
 */
import { randomBytes } from 'node:crypto';
import { isContractName, type ContractName } from '../api/names';

/** Largest message accepted (lab.openText carries up to 6 MiB of YAML, JSON-escaped). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Largest message sent, reply or event, in UTF-8 bytes. The built-in labs' largest reply (the
 * bridge-loop storm's trace) is a quarter of a megabyte, and a 1,000-node lab's view about
 * as much; 64 MiB is far above both yet still a second's JSON.parse for a browser. Past it a
 * result is a runaway that no page could use, and V8 cannot build one past 512 MiB at all.
 */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export type RequestId = number | string;

export type EnvelopeErrorCode =
  'malformed-message' | 'unknown-method' | 'internal-error' | 'reply-too-large' | 'busy';

export type ReplyMessage =
  | { readonly id: RequestId; readonly result: unknown }
  | {
      readonly id: RequestId | null;
      readonly error: { readonly code: EnvelopeErrorCode; readonly message: string };
    };

export type EventMessage = { readonly event: string; readonly payload: unknown };

/**
 * What the host needs of the service: untrusted name and arguments in, a value out, or a
 * Promise of one (simulation entries, `traffic.*` and `sim.*`, may finish later).
 */
export interface CallTarget {
  call(name: unknown, args: unknown): unknown;
}

/** A request whose envelope is sound; its arguments are still untrusted. */
export interface ApiRequest {
  readonly id: RequestId;
  readonly method: ContractName;
  readonly args: unknown;
}

export function envelopeError(
  id: RequestId | null,
  code: EnvelopeErrorCode,
  message: string,
): ReplyMessage {
  return { id, error: { code, message } };
}

/** The answer to a request over a client's limit of requests awaiting their reply. */
export function busyReply(id: RequestId, maxAwaiting: number): ReplyMessage {
  return envelopeError(
    id,
    'busy',
    `${maxAwaiting} requests are already waiting for their reply; wait for earlier replies before sending more.`,
  );
}

function isRequestId(value: unknown): value is RequestId {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && value.length > 0 && value.length <= 100)
  );
}

/** One incoming message read: a sound request, or the envelope error to send back. */
export type RequestRead =
  | { readonly ok: true; readonly request: ApiRequest }
  | { readonly ok: false; readonly reply: ReplyMessage };

export function readRequest(raw: string): RequestRead {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return refused(null, 'malformed-message', 'The message is not valid JSON.');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return refused(null, 'malformed-message', 'A request is an object { id, method, args }.');
  }
  const { id, method, args } = message as Record<string, unknown>;
  if (!isRequestId(id)) {
    return refused(null, 'malformed-message', 'A request needs an id (integer or string).');
  }
  if (!isContractName(method)) {
    return refused(id, 'unknown-method', `There is no api entry ${JSON.stringify(method)}.`);
  }
  return { ok: true, request: { id, method, args: args ?? {} } };
}

function refused(id: RequestId | null, code: EnvelopeErrorCode, message: string): RequestRead {
  return { ok: false, reply: envelopeError(id, code, message) };
}

/**
 * Calls the target and returns the one reply: at once for a plain value, so a reply still
 * goes out before any event the next request emits (the order a page has always seen), or
 * as a Promise for a Promise, which never rejects. A throw or a rejection is logged with its
 * stack and becomes `internal-error`.
 */
export function answer(
  target: CallTarget,
  request: ApiRequest,
  log: (message: string) => void,
): ReplyMessage | Promise<ReplyMessage> {
  const { id, method, args } = request;
  let value: PromiseLike<unknown>;
  try {
    const returned = target.call(method, args);
    if (!isThenable(returned)) return { id, result: returned };
    value = returned;
  } catch (error) {
    return failed(request, error, log);
  }
  return Promise.resolve(value).then(
    (result): ReplyMessage => ({ id, result }),
    (error: unknown) => failed(request, error, log),
  );
}

function failed(request: ApiRequest, error: unknown, log: (message: string) => void) {
  log(`nestlab serve: ${request.method} failed: ${stackOf(error)}`);
  const why = `${request.method} failed inside the core; see the host's log.`;
  return envelopeError(request.id, 'internal-error', why);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** What a log line says of a throw: its stack when it has one. */
export function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Writes messages as JSON text of at most `maxBytes` UTF-8 bytes, and never throws. An
 * edit's reply carries the same LabView as the `lab.changed` event sent just before it (the
 * whole lab: a quarter of a megabyte at 1,000 nodes), so the view's text is kept from the
 * event and spliced into the reply instead of being written twice.
 */
export class MessageWriter {
  private readonly marker = `nestlab-view-${randomBytes(12).toString('hex')}`;
  private lastView: { readonly value: object; readonly json: string } | null = null;

  constructor(
    private readonly log: (message: string) => void,
    private readonly maxBytes = MAX_REPLY_BYTES,
  ) {}

  /** The event's text, or undefined (and a line in the log) when it cannot be sent. */
  event(event: string, payload: unknown): string | undefined {
    let text: string;
    try {
      text = this.eventJson(event, payload);
    } catch (error) {
      return this.dropEvent(event, `it cannot be written as JSON: ${stackOf(error)}`);
    }
    if (!overLimit(text, this.maxBytes)) return text;
    return this.dropEvent(event, `its JSON is over the ${sizeText(this.maxBytes)} limit.`);
  }

  /**
   * The reply's text; a reply that JSON cannot write, or whose text is over the limit, is
   * replaced by an envelope error that says so (`method` names the request in it).
   */
  reply(message: ReplyMessage, method = 'this request'): string {
    let text: string;
    try {
      text = this.replyJson(message);
    } catch (error) {
      return this.unwritable(message.id, method, error);
    }
    if (!overLimit(text, this.maxBytes)) return text;
    this.log(
      `nestlab serve: the reply to ${method} was not sent: over ${sizeText(this.maxBytes)}.`,
    );
    return this.tooLarge(message.id, method);
  }

  private eventJson(event: string, payload: unknown): string {
    if (event !== 'lab.changed' || typeof payload !== 'object' || payload === null)
      return JSON.stringify({ event, payload } satisfies EventMessage);
    const json = JSON.stringify(payload);
    this.lastView = { value: payload, json };
    return `{"event":${JSON.stringify(event)},"payload":${json}}`;
  }

  private replyJson(message: ReplyMessage): string {
    const last = this.lastView;
    const result = 'result' in message ? message.result : undefined;
    if (!last || !isRecord(result) || result.view !== last.value) return JSON.stringify(message);
    const text = JSON.stringify({ ...message, result: { ...result, view: this.marker } });
    return text.replace(`"${this.marker}"`, () => last.json);
  }

  private dropEvent(event: string, why: string): undefined {
    // A view that was not sent must not be kept (it may be huge) nor spliced into a reply.
    this.lastView = null;
    this.log(`nestlab serve: the ${event} event was not sent: ${why}`);
    return undefined;
  }

  /**
   * JSON.stringify throws a RangeError when the text would pass V8's longest string or the
   * value nests too deep: the reply is too large. Any other throw (a cycle, a BigInt) is a
   * bug in the core, reported as one.
   */
  private unwritable(id: RequestId | null, method: string, error: unknown): string {
    if (error instanceof RangeError) {
      this.log(`nestlab serve: the reply to ${method} was not sent: ${error.message}.`);
      return this.tooLarge(id, method);
    }
    this.log(`nestlab serve: the reply to ${method} cannot be written as JSON: ${stackOf(error)}`);
    const why = `${method} returned a value that cannot be written as JSON; see the host's log.`;
    return JSON.stringify(envelopeError(id, 'internal-error', why));
  }

  private tooLarge(id: RequestId | null, method: string): string {
    const why =
      `The reply to ${method} is larger than the ${sizeText(this.maxBytes)} the host sends at ` +
      'once, so it was not sent. Ask for less at a time (a smaller lab or a shorter run); ' +
      'the connection still works.';
    return JSON.stringify(envelopeError(id, 'reply-too-large', why));
  }
}

/** Whether `text` passes `maxBytes` as UTF-8; a UTF-16 unit takes one to three bytes. */
function overLimit(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return Buffer.byteLength(text, 'utf8') > maxBytes;
}

/** `64 MiB`, `512 KiB`, `100 bytes`: a size for messages about the limits. */
export function sizeText(bytes: number): string {
  const [unit, scale] = bytes >= 1024 * 1024 ? ['MiB', 1024 * 1024] : ['KiB', 1024];
  if (bytes < scale) return `${bytes} bytes`;
  return `${Math.round((bytes / scale) * 10) / 10} ${unit}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
