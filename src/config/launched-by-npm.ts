/**
 * Whether this process runs as an npm script (`npm start`): npm sets `npm_lifecycle_event`
 * for the scripts it runs. Only then does the server follow its parent's death — a server
 * started with `nohup … &` or a double fork outlives its launching shell on purpose.
 */
export function launchedByNpm(env: Readonly<Record<string, string | undefined>>): boolean {
  const event = env.npm_lifecycle_event;
  return event !== undefined && event !== '';
}
