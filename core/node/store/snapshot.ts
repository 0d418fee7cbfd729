/**
 * A whole lab as the store keeps it in a snapshot: JSON, deflated (fast level 1). A
 * 10,000-node lab is about 2.4 MB of JSON and a tenth of that deflated, so saving it writes
 * and syncs far less, and loading reads far less, than the text would.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Lab } from '../../model';

export function packLab(lab: Lab): Buffer {
  return deflateRawSync(JSON.stringify(lab), { level: 1 });
}

/**
 * A lab saved by an earlier Nestlab lacks the keys added since (checkpoints, student): they
 * get the defaults a file without them gets.
 */
export function unpackLab(packed: Buffer): Lab {
  const lab = JSON.parse(inflateRawSync(packed).toString('utf8')) as Partial<Lab> & Lab;
  return {
    ...lab,
    checkpoints: lab.checkpoints ?? [],
    student: lab.student ?? { edit: 'all' },
  };
}
