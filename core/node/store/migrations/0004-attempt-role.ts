/**
 * Migration 4: an attempt is a student's or a trainer's. A trainer authoring a lab ("Edit as
 * trainer") works in an attempt of their own, so their edits, hints and progress never land
 * in the student's attempt or on the home card. Every older attempt is a student's; each lab
 * has at most one active attempt per role.
 */
import type { WriteHandle } from '../handles';

export const version = 4;
export const name = 'attempt-role';

export function up(db: WriteHandle): void {
  db.exec(`
    ALTER TABLE attempts ADD COLUMN role TEXT NOT NULL DEFAULT 'student'
      CHECK (role IN ('student', 'trainer'));
    DROP INDEX attempts_one_active;
    CREATE UNIQUE INDEX attempts_one_active ON attempts (lab_id, role) WHERE status = 'active';
  `);
}
