/** The engine port: the one interface both media engines implement. */
export type * from './call-facts.ts';
export type * from './media-options.ts';
export type * from './leg.ts';
export type * from './bridge.ts';
export type * from './engine.ts';
export type * from './engine-telemetry.ts';
