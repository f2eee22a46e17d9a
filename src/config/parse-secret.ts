/** An API key given by a setting: 24–128 URL-safe characters. */
export function parseApiKey(value: string): string {
  if (!/^[A-Za-z0-9._~-]{24,128}$/.test(value)) throw new Error('expected 24-128 URL-safe characters');
  return value;
}

/** A server secret given by a setting: hex or base64(url) of at least 32 bytes. */
export function parseSecret(value: string): Buffer {
  const bytes = /^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length < 32 || !/^[A-Za-z0-9+/_=-]+$/.test(value)) throw new Error('expected at least 32 bytes as hex or base64');
  return bytes;
}
