/** The embedded engine's public entry point. */
export { createEmbeddedEngine, EmbeddedEngine } from './embedded-engine.ts';
export type { EmbeddedEngineOptions } from './embedded-engine-options.ts';
