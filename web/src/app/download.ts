/**
 * Saves a file the API sent, for every area. The CSV routes need the access token, which a plain
 * `<a href>` would not carry: the page fetches the file through the API client, then hands the
 * Blob to the browser as a download (an object URL on a temporary link).
 */
export const saveBlob = (blob: Blob, filename: string) => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: let it live a little.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
};
