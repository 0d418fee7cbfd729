/**
 * `Lab` → lab-file YAML (lab-format.md), the inverse of `parseLab`: the plain form of
 * plain.ts, written so that `parseLab(serializeLab(lab))` gives back an equal lab.
 */
import { Document, isScalar, Scalar, visit } from 'yaml';
import type { Lab } from '../model';
import { labToPlain } from './plain';

export function serializeLab(lab: Lab): string {
  const doc = new Document(labToPlain(lab), { aliasDuplicateObjects: false });
  // The reader takes a plain `<<` key as a merge key (yaml-source.ts); a key of that text (in
  // `ui`, or a checkpoint id in `attempt.answers`) is quoted so it stays a key.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 100 });
}
