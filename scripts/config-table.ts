/** Prints the README's settings table from the one place settings are defined. */
import { SETTINGS } from '../src/config/settings.ts';

const rows = Object.values(SETTINGS).map(
  (s) => `| \`${s.env}\` | ${s.default === undefined ? '—' : `\`${s.default}\``} | ${s.description} |`,
);
process.stdout.write(['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n') + '\n');
