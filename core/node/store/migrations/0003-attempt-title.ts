/**
 * Migration 3: each attempt keeps the title of its lab as it is now (a rename is the
 * attempt's), so the library lists it without loading the lab. Older attempts start with
 * none; the store reads their title from their lab until their next change writes it.
 */
import type { WriteHandle } from '../handles';

export const version = 3;
export const name = 'attempt-title';

export function up(db: WriteHandle): void {
  db.exec(`ALTER TABLE attempts ADD COLUMN title TEXT`);
}
