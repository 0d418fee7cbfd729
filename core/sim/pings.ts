/**
 * Ping sessions: which echo replies came back. Guarantees: identifiers are handed out in order
 * (deterministic), a session counts each sequence number once however many duplicate replies a
 * loop delivers, and a reply counts only at the host that sent the request.
 */

/** Sequence numbers (16-bit) seen, as a bitmap that grows with the highest one. */
class SequenceSet {
  private words = new Int32Array(2);
  size = 0;

  add(sequence: number): void {
    const word = sequence >>> 5;
    if (word >= this.words.length) {
      const grown = new Int32Array(Math.max(word + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (sequence & 31);
    const value = this.words[word] ?? 0;
    if ((value & bit) !== 0) return;
    this.words[word] = value | bit;
    this.size++;
  }
}

export class PingSession {
  readonly answered = new SequenceSet();

  constructor(
    readonly identifier: number,
    readonly host: string,
  ) {}

  get replies(): number {
    return this.answered.size;
  }
}

export class PingRegistry {
  /**
   * The open sessions (one per running ping step, so rarely more than one): a short list
   * rather than a Map, whose delete shrinks and rehashes the table on every step.
   */
  private readonly sessions: PingSession[] = [];
  private next = 0;

  open(host: string): PingSession {
    this.next = (this.next + 1) & 0xffff;
    const session = new PingSession(this.next, host);
    const at = this.indexOf(session.identifier);
    // A new session takes over its identifier from any session left open with it.
    if (at >= 0) this.sessions[at] = session;
    else this.sessions.push(session);
    return session;
  }

  close(session: PingSession): void {
    const at = this.indexOf(session.identifier);
    if (at >= 0 && this.sessions[at] === session) this.sessions.splice(at, 1);
  }

  /** An echo reply reached `host`. */
  reply(host: string, identifier: number, sequence: number): void {
    const at = this.indexOf(identifier);
    const session = at < 0 ? undefined : this.sessions[at];
    if (session !== undefined && session.host === host) session.answered.add(sequence);
  }

  clear(): void {
    this.sessions.length = 0;
    this.next = 0;
  }

  /** The last identifier handed out, to be given back after an objective's check. */
  get mark(): number {
    return this.next;
  }

  set mark(last: number) {
    this.next = last;
  }

  private indexOf(identifier: number): number {
    const sessions = this.sessions;
    for (let i = 0; i < sessions.length; i++) if (sessions[i]?.identifier === identifier) return i;
    return -1;
  }
}
