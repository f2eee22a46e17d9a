/** Storage: the SQLite database behind the product. */
export { openStore } from './open-store.ts';
export { Store } from './store.ts';
export { seedDemo, DEMO_IDS, DEMO_EMAIL, type DemoSeed } from './seed-demo.ts';
export { closeInterruptedConferences, SERVER_RESTART } from './close-interrupted.ts';
export { hashApiKey } from './api-key-hash.ts';
export type { NewRoom } from './room-repo.ts';
export type { NewUser, ProfilePatch } from './user-repo.ts';
export type { LegEventRow } from './leg-repo.ts';
