/**
 * A text cell for a CSV export. Text a person typed may start with `=`, `+`, `-` or `@`,
 * which spreadsheets run as a formula (CSV injection): such a value is prefixed with `'`.
 * Null is an empty cell.
 */
export function csvText(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
