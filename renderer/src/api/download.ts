/**
 * Hands a file to the user: a download under the web host; in Electron the same link opens
 * the system's save dialog (a download without a preset path asks where to save).
 */
export function offerDownload(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
