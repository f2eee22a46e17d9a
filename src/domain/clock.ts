/** The current time, injected so that domain rules and flows are testable without timers. */
export type Clock = () => Date;
