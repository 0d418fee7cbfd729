/**
 * The attempt files a trainer hands the app: picked (several at once), a folder picked where
 * the browser's input supports `webkitdirectory`, or dropped (files, and folders walked). Each
 * is named as `nestlab grade` would name it when run in the folder they were taken from: the
 * file name, or its path inside a picked or dropped folder. A folder gives only its lab files
 * (`.yaml`, `.yml`), in path order; files picked or dropped one by one are all kept, in the
 * order given, so a wrong file is graded invalid with the reason rather than dropped unseen.
 */

export interface AttemptFile {
  /** The name in the table and the CSV's `file` column. */
  readonly name: string;
  readonly file: File;
}

/** Files a folder may give at most: a class, with room to spare; more is refused, not read. */
export const MAX_ATTEMPT_FILES = 2000;

const LAB_FILE = /\.ya?ml$/i;

/** The input's files: from a folder (`webkitRelativePath` set), its lab files by path. */
export function attemptsOf(files: FileList | readonly File[]): AttemptFile[] {
  const list = [...files];
  const fromFolder = list.some((f) => f.webkitRelativePath !== '');
  if (!fromFolder) return list.map((file) => ({ name: file.name, file }));
  return list
    .filter((f) => LAB_FILE.test(f.name))
    .map((file) => ({ name: file.webkitRelativePath, file }))
    .sort(byName);
}

function byName(a: AttemptFile, b: AttemptFile): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether this browser's file input can pick a folder. */
export function canPickFolder(): boolean {
  return 'webkitdirectory' in HTMLInputElement.prototype;
}

/** The files of a drop: dropped files as they are, dropped folders walked for their lab files. */
export async function droppedAttempts(data: DataTransfer): Promise<AttemptFile[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) return attemptsOf(data.files);
  const out: AttemptFile[] = [];
  for (const entry of entries as FileSystemEntry[]) {
    if (isFile(entry)) out.push({ name: entry.name, file: await fileOf(entry) });
    else if (isDirectory(entry)) out.push(...(await folderAttempts(entry)).sort(byName));
  }
  return out;
}

/** A folder's lab files, its subfolders' too, named by their path from the folder dropped. */
async function folderAttempts(root: FileSystemDirectoryEntry): Promise<AttemptFile[]> {
  const out: AttemptFile[] = [];
  const folders: { entry: FileSystemDirectoryEntry; path: string }[] = [
    { entry: root, path: root.name },
  ];
  while (folders.length > 0 && out.length < MAX_ATTEMPT_FILES) {
    const { entry, path } = folders.shift() as { entry: FileSystemDirectoryEntry; path: string };
    for (const child of await entriesOf(entry)) {
      const name = `${path}/${child.name}`;
      if (isDirectory(child)) folders.push({ entry: child, path: name });
      else if (isFile(child) && LAB_FILE.test(child.name))
        out.push({ name, file: await fileOf(child) });
    }
  }
  return out;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a folder: a reader gives them in batches until it gives none. */
async function entriesOf(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0 || all.length >= MAX_ATTEMPT_FILES) return all;
    all.push(...batch);
  }
}
