/**
 * Ping sessions: which echo replies came back. Guarantees: identifiers are handed out in order
 * (deterministic), a session counts each sequence number once however many duplicate replies a
 * loop delivers, and a reply counts only at the host that sent the request.
 */

export class PingSession {
  readonly answered = new Set<number>();

  constructor(
    readonly identifier: number,
    readonly host: string,
  ) {}

  get replies(): number {
    return this.answered.size;
  }
}

export class PingRegistry {
  private readonly sessions = new Map<number, PingSession>();
  private next = 0;

  open(host: string): PingSession {
    this.next = (this.next + 1) & 0xffff;
    const session = new PingSession(this.next, host);
    this.sessions.set(session.identifier, session);
    return session;
  }

  close(session: PingSession): void {
    if (this.sessions.get(session.identifier) === session) this.sessions.delete(session.identifier);
  }

  /** An echo reply reached `host`. */
  reply(host: string, identifier: number, sequence: number): void {
    const session = this.sessions.get(identifier);
    if (session !== undefined && session.host === host) session.answered.add(sequence);
  }

  clear(): void {
    this.sessions.clear();
    this.next = 0;
  }
}
