/**
 * Typed access to the store's SQLite connection, Signal Desktop style: a `ReadHandle` can
 * only run statements SQLite reports as read-only (checked at prepare time, so a query
 * module that writes through a read handle fails loudly in its first test), and only a
 * `WriteHandle` can run writes and open transactions. Query functions state which one they
 * need in their signature. Statements are prepared once and cached per SQL text.
 */
import type Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;

type Statement = Database.Statement<SqlValue[], unknown>;

export class ReadHandle {
  readonly #statements = new Map<string, Statement>();

  constructor(protected readonly connection: Database.Database) {}

  protected prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare<SqlValue[], unknown>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  private reader(sql: string): Statement {
    const statement = this.prepare(sql);
    if (!statement.readonly) throw new Error(`A read handle may not run a write: ${sql}`);
    return statement;
  }

  get<Row>(sql: string, ...params: SqlValue[]): Row | undefined {
    return this.reader(sql).get(...params) as Row | undefined;
  }

  all<Row>(sql: string, ...params: SqlValue[]): Row[] {
    return this.reader(sql).all(...params) as Row[];
  }

  /** A pragma that only reads (quick_check, integrity_check, user_version). */
  pragma<Row>(name: 'quick_check' | 'integrity_check' | 'user_version' | 'journal_mode'): Row[] {
    return this.connection.pragma(name) as Row[];
  }
}

export class WriteHandle extends ReadHandle {
  run(sql: string, ...params: SqlValue[]): { changes: number; lastInsertRowid: number } {
    const result = this.prepare(sql).run(...params);
    return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
  }

  /** Runs schema statements (migrations only). */
  exec(sql: string): void {
    this.connection.exec(sql);
  }

  setUserVersion(version: number): void {
    if (!Number.isSafeInteger(version) || version < 0)
      throw new Error(`Bad user_version ${version}.`);
    this.connection.pragma(`user_version = ${version}`);
  }

  /** `fn` in one IMMEDIATE transaction: all of it is written, or (on a throw) none of it. */
  transaction<T>(fn: () => T): T {
    return this.connection.transaction(fn).immediate();
  }
}

/** Both handles over one connection; the write handle is given only to writing code. */
export function handlesOf(connection: Database.Database): {
  readonly read: ReadHandle;
  readonly write: WriteHandle;
} {
  return { read: new ReadHandle(connection), write: new WriteHandle(connection) };
}
