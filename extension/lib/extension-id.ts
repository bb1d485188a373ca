/**
 * The extension id Chrome derives from a manifest `key` (base64 DER public key): the first 128 bits of its SHA-256,
 * each hex digit written as a letter a–p. A pinned key gives one id everywhere, so the API's CORS_ORIGINS can list
 * `chrome-extension://<id>` and the OAuth client can name `https://<id>.chromiumapp.org/`.
 */
export async function extensionIdFromKey(publicKey: string): Promise<string> {
  const der = Uint8Array.from(atob(publicKey.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return [...digest.slice(0, 16)].map((byte) => String.fromCharCode(97 + (byte >> 4), 97 + (byte & 15))).join('');
}
