/**
 * Migration 2: what a student did beside the lab (checkpoint answers, hints revealed), kept
 * with the attempt as JSON outside its undo history. Older attempts start with none.
 */
import type { WriteHandle } from '../handles';

export const version = 2;
export const name = 'exercise';

export function up(db: WriteHandle): void {
  db.exec(
    `ALTER TABLE attempts ADD COLUMN exercise TEXT NOT NULL DEFAULT '{"answers":{},"hints":[]}'`,
  );
}
