/**
 * Characters that never belong in a shown name: C0 and C1 controls, the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E,
 * U+200F, U+061C) that can make "Alice‮nimda" read as something else, and invisible
 * zero-width spaces (U+200B, U+2060, U+FEFF). Zero-width (non-)joiners stay: scripts need them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** `text` without the characters of {@link UNSAFE} (nothing else changes). */
export function stripUnsafeChars(text: string): string {
  return text.replace(UNSAFE, '');
}
