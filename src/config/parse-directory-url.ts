/** Checks a directory URL template: http(s), with `{number}` in it. Throws with the reason. */
export function parseDirectoryUrl(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.includes('{number}')) throw new Error('must contain {number} where the number goes');
  let url: URL;
  try {
    url = new URL(trimmed.replaceAll('{number}', '0'));
  } catch {
    throw new Error('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http or https URL');
  return trimmed;
}
