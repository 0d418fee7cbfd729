/**
 * The kill test's child process: opens the store in the data folder given, continues the
 * E1 attempt, and streams edits through the real service (`lab.setTitle` to "edit N"),
 * printing `ack N` only after the service answered ok, that is after the edit was
 * committed. The parent SIGKILLs it at a random moment. Bounded: it stops by itself after
 * MAX_EDITS edits.
 */
import { writeSync } from 'node:fs';
import { NestlabService } from '../../../../../core/api/service';
import { folderLibrary } from '../../../../../core/node/lab-library';
import { openStore } from '../../../../../core/node/store';

const MAX_EDITS = 20_000;
const [dataDir, labsDir, first] = process.argv.slice(2);
if (!dataDir || !labsDir || !first) throw new Error('usage: kill-child DATA LABS FIRST');

const opened = openStore(dataDir);
if (!opened.ok) throw new Error(opened.message);
if (opened.store.notices.length > 0) throw new Error(opened.store.notices.join('\n'));
const service = new NestlabService(folderLibrary(labsDir), {
  persistence: opened.store,
  clock: Date.now,
});
const open = service.call('lab.open', { id: 'e1-nested-vm-out' }) as { ok: boolean };
if (!open.ok) throw new Error('E1 did not open');
writeSync(1, 'ready\n');
for (let n = Number(first); n < Number(first) + MAX_EDITS; n++) {
  const result = service.call('lab.setTitle', { actor: 'ben', title: `edit ${n}` }) as {
    ok: boolean;
  };
  if (!result.ok) throw new Error(`edit ${n} was refused`);
  writeSync(1, `ack ${n}\n`);
}
opened.store.close();
