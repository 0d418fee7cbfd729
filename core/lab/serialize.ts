/**
 * `Lab` → lab-file YAML (lab-format.md), the inverse of `parseLab`: the plain form of
 * plain.ts, written so that `parseLab(serializeLab(lab))` gives back an equal lab.
 */
import { stringify } from 'yaml';
import type { Lab } from '../model';
import { labToPlain } from './plain';

export function serializeLab(lab: Lab): string {
  return stringify(labToPlain(lab), { lineWidth: 100, aliasDuplicateObjects: false });
}
