/**
 * The library's SQL: built-in labs synced from the labs folder (retired, not deleted, when
 * their file goes), imported labs with their source text and its SHA-256, and replacing an
 * imported lab (its active attempt archived in the same transaction).
 */
import { createHash } from 'node:crypto';
import type { LibraryRecord, NewLabSource } from '../../api/persistence';
import type { ReadHandle, WriteHandle } from './handles';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface LabRow {
  id: string;
  origin: LibraryRecord['origin'];
  title: string;
  description: string;
  file_name: string;
  source_path: string | null;
  source_hash: string;
  objective_count: number;
  added_at: number;
  updated_at: number;
}

const COLUMNS = `id, origin, title, description, file_name, source_path, source_hash,
  objective_count, added_at, updated_at`;

/** Listed: present in the folder (or imported), or retired but still holding an attempt. */
const LISTED = `(retired_at IS NULL OR EXISTS (
  SELECT 1 FROM attempts a WHERE a.lab_id = labs.id AND a.status = 'active'))`;

function toRecord(row: LabRow): LibraryRecord {
  return {
    id: row.id,
    origin: row.origin,
    title: row.title,
    description: row.description,
    fileName: row.file_name,
    sourcePath: row.source_path,
    sourceHash: row.source_hash,
    objectiveCount: row.objective_count,
    addedAt: row.added_at,
    updatedAt: row.updated_at,
  };
}

export function listLabs(db: ReadHandle): LibraryRecord[] {
  return db
    .all<LabRow>(
      `SELECT ${COLUMNS} FROM labs WHERE ${LISTED}
       ORDER BY origin = 'imported', CASE origin WHEN 'built-in' THEN id END, added_at, id`,
    )
    .map(toRecord);
}

export function readSource(
  db: ReadHandle,
  id: string,
): { record: LibraryRecord; text: string } | undefined {
  const row = db.get<LabRow & { source_text: string }>(
    `SELECT ${COLUMNS}, source_text FROM labs WHERE id = ?`,
    id,
  );
  return row ? { record: toRecord(row), text: row.source_text } : undefined;
}

export function sameLabs(db: ReadHandle, text: string, title: string): LibraryRecord[] {
  return db
    .all<LabRow>(
      `SELECT ${COLUMNS} FROM labs WHERE (source_hash = ? OR title = ?) AND ${LISTED}
       ORDER BY added_at`,
      sha256(text),
      title,
    )
    .map(toRecord);
}

type BuiltIn = NewLabSource & { readonly id: string };

/** Which built-ins need a write: new, changed, back from retirement, or gone. */
export function builtInChanges(
  db: ReadHandle,
  sources: readonly BuiltIn[],
): { upsert: BuiltIn[]; retire: string[] } {
  const known = new Map(
    db
      .all<{ id: string; source_hash: string; retired: number }>(
        `SELECT id, source_hash, retired_at IS NOT NULL AS retired FROM labs WHERE origin = 'built-in'`,
      )
      .map((row) => [row.id, row]),
  );
  const upsert = sources.filter((s) => {
    const row = known.get(s.id);
    return !row || row.retired === 1 || row.source_hash !== sha256(s.text);
  });
  const present = new Set(sources.map((s) => s.id));
  const retire = [...known.values()]
    .filter((row) => row.retired === 0 && !present.has(row.id))
    .map((row) => row.id);
  return { upsert, retire };
}

export function writeBuiltIns(
  db: WriteHandle,
  changes: { upsert: readonly BuiltIn[]; retire: readonly string[] },
  at: number,
): void {
  for (const s of changes.upsert) {
    db.run(
      `INSERT INTO labs (id, origin, title, description, file_name, source_path, source_text,
         source_hash, objective_count, added_at, updated_at)
       VALUES (?, 'built-in', ?, ?, ?, NULL, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
         file_name = excluded.file_name, source_text = excluded.source_text,
         source_hash = excluded.source_hash, objective_count = excluded.objective_count,
         updated_at = excluded.updated_at, retired_at = NULL
       WHERE labs.origin = 'built-in'`,
      s.id,
      s.title,
      s.description,
      s.fileName,
      s.text,
      sha256(s.text),
      s.objectiveCount,
      at,
      at,
    );
  }
  for (const id of changes.retire)
    db.run(`UPDATE labs SET retired_at = ? WHERE id = ? AND origin = 'built-in'`, at, id);
}

export function insertImported(db: WriteHandle, source: NewLabSource, at: number): string {
  const next = db.get<{ n: number }>(
    `SELECT coalesce(max(CAST(substr(id, 10) AS INTEGER)), 0) + 1 AS n
     FROM labs WHERE origin = 'imported'`,
  );
  const id = `imported-${next?.n ?? 1}`;
  db.run(
    `INSERT INTO labs (id, origin, title, description, file_name, source_path, source_text,
       source_hash, objective_count, added_at, updated_at)
     VALUES (?, 'imported', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id,
    source.title,
    source.description,
    source.fileName,
    source.sourcePath,
    source.text,
    sha256(source.text),
    source.objectiveCount,
    at,
    at,
  );
  return id;
}

export function replaceImported(
  db: WriteHandle,
  id: string,
  source: NewLabSource,
  at: number,
): void {
  const changed = db.run(
    `UPDATE labs SET title = ?, description = ?, file_name = ?, source_path = ?, source_text = ?,
       source_hash = ?, objective_count = ?, updated_at = ?
     WHERE id = ? AND origin = 'imported'`,
    source.title,
    source.description,
    source.fileName,
    source.sourcePath,
    source.text,
    sha256(source.text),
    source.objectiveCount,
    at,
    id,
  );
  if (changed.changes !== 1)
    throw new Error(`${id} is not an imported lab; only those can be replaced.`);
  db.run(
    `UPDATE attempts SET status = 'archived', archived_at = ? WHERE lab_id = ? AND status = 'active'`,
    at,
    id,
  );
}
