/**
 * Every migration, in order. A migration is numbered (its file name starts with its
 * version), runs in one transaction with the `user_version` bump, and is never edited once
 * released: a schema change is a new file here.
 */
import type { WriteHandle } from '../handles';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-exercise';
import * as m0003 from './0003-attempt-title';
import * as m0004 from './0004-attempt-role';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: WriteHandle): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
