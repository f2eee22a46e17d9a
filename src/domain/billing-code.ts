/** The longest billing (matter) code. */
export const BILLING_CODE_MAX = 32;

/**
 * A billing code as given, trimmed; null when blank (clears it). Letters, digits and
 * `. _ / -` only, at most {@link BILLING_CODE_MAX}: matter numbers such as `ACME-2026/014`.
 * Returns `undefined` for a code that breaks these rules.
 */
export function cleanBillingCode(value: string | null): string | null | undefined {
  if (value === null) return null;
  const code = value.trim();
  if (code === '') return null;
  return code.length <= BILLING_CODE_MAX && /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(code) ? code : undefined;
}
