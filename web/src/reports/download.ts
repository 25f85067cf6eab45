/**
 * Saves a file the API sent: the Blob fetched with the token, handed to the browser as a download
 * through an object URL on a temporary link (a bare href would carry no token).
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
