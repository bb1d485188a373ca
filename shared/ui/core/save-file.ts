/**
 * Saves a file the page fetched itself (with the token in a header, so a plain link to the API cannot) through a
 * temporary link; the object URL is released once the browser has had time to start the download.
 */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
