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

export function unpackLab(packed: Buffer): Lab {
  return JSON.parse(inflateRawSync(packed).toString('utf8')) as Lab;
}
