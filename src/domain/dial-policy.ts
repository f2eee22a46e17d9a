import type { DialNumber, DialNumberType } from './dial-number.ts';

/**
 * The toll-fraud guard: which destinations a dial may reach and how many dials may run.
 * The operator sets the defaults; an account may only be stricter, except that it may allow
 * number types refused by default (its admins take that cost on purpose).
 */
export interface DialPolicy {
  /** Destinations allowed: ISO countries (`GB`) or E.164 prefixes (`+4420`); empty allows none. `*` allows all. */
  readonly destinations: readonly string[];
  /** Types refused unless listed in `allowedTypes`. */
  readonly refusedTypes: readonly DialNumberType[];
  /** Types allowed even though refused by default. */
  readonly allowedTypes: readonly DialNumberType[];
  readonly maxConcurrentPerAccount: number;
  readonly maxConcurrentPerRoom: number;
  readonly maxAttemptsPerHour: number;
  readonly maxAttemptsPerDay: number;
  /** Failed attempts in a row to one number after which the next must wait. */
  readonly slowAfterFailures: number;
  /** The first wait; each further failure doubles it (capped at a day). */
  readonly slowBaseSeconds: number;
}

/** An account's own, stricter settings (each absent field takes the operator's). */
export type AccountDialPolicy = Partial<Omit<DialPolicy, 'refusedTypes'>>;

/** Number types refused unless allowed: they cost the caller or hide where the call goes. */
export const REFUSED_BY_DEFAULT: readonly DialNumberType[] = ['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'PERSONAL_NUMBER', 'SATELLITE', 'PAGER', 'VOICEMAIL', 'UNKNOWN'];

/** The operator defaults when nothing is configured. */
export const DEFAULT_DIAL_POLICY: DialPolicy = {
  destinations: ['*'],
  refusedTypes: REFUSED_BY_DEFAULT,
  allowedTypes: [],
  maxConcurrentPerAccount: 10,
  maxConcurrentPerRoom: 5,
  maxAttemptsPerHour: 60,
  maxAttemptsPerDay: 300,
  slowAfterFailures: 3,
  slowBaseSeconds: 60,
};

/** What is going on now, counted by the caller from the store and live legs. */
export interface DialUsage {
  readonly accountConcurrent: number;
  readonly roomConcurrent: number;
  readonly accountAttemptsLastHour: number;
  readonly accountAttemptsLastDay: number;
  /** Failed attempts in a row to this number (reset by an answered one). */
  readonly consecutiveFailures: number;
  readonly lastFailureAt: Date | null;
}

/** Why a dial is refused: the stable error code and the reason in the audit. */
export type DialRefusal =
  | { readonly code: 'DIAL_REFUSED_DESTINATION'; readonly reason: 'destination' }
  | { readonly code: 'DIAL_REFUSED_NUMBER_TYPE'; readonly reason: 'number-type'; readonly type: DialNumberType }
  | { readonly code: 'DIAL_LIMIT_CONCURRENT'; readonly reason: 'account-concurrent' | 'room-concurrent'; readonly limit: number }
  | { readonly code: 'DIAL_LIMIT_RATE'; readonly reason: 'per-hour' | 'per-day'; readonly limit: number }
  | { readonly code: 'DIAL_SLOWED'; readonly reason: 'repeated-failures'; readonly retryAfterSeconds: number };

/** The decision: place the call, or refuse it without sending any SIP. */
export type DialDecision = { readonly allowed: true } | ({ readonly allowed: false } & DialRefusal);

const DAY_SECONDS = 86_400;

/** The stricter of the operator's policy and an account's own settings. */
export function effectivePolicy(operator: DialPolicy, account: AccountDialPolicy = {}): DialPolicy {
  const min = (a: number, b: number | undefined): number => (b === undefined ? a : Math.min(a, b));
  return {
    // Both lists must allow a destination: an account narrows the operator's list, never widens it.
    destinations: operator.destinations,
    refusedTypes: operator.refusedTypes,
    allowedTypes: account.allowedTypes ?? operator.allowedTypes,
    maxConcurrentPerAccount: min(operator.maxConcurrentPerAccount, account.maxConcurrentPerAccount),
    maxConcurrentPerRoom: min(operator.maxConcurrentPerRoom, account.maxConcurrentPerRoom),
    maxAttemptsPerHour: min(operator.maxAttemptsPerHour, account.maxAttemptsPerHour),
    maxAttemptsPerDay: min(operator.maxAttemptsPerDay, account.maxAttemptsPerDay),
    slowAfterFailures: min(operator.slowAfterFailures, account.slowAfterFailures),
    slowBaseSeconds: Math.max(operator.slowBaseSeconds, account.slowBaseSeconds ?? 0),
  };
}

/** Whether `number` is on a destination list (`*`, a country, or an E.164 prefix). */
export function onDestinationList(list: readonly string[], number: DialNumber): boolean {
  return list.some((entry) => entry === '*' || (entry.startsWith('+') ? number.e164.startsWith(entry) : entry.toUpperCase() === number.country));
}

/** How long a number that failed `failures` times in a row must rest, in seconds (0: none). */
export function slowDownSeconds(policy: DialPolicy, failures: number): number {
  if (failures < policy.slowAfterFailures) return 0;
  return Math.min(DAY_SECONDS, policy.slowBaseSeconds * 2 ** (failures - policy.slowAfterFailures));
}

/**
 * Decides a dial. Pure: every fact comes from the caller. Order: destination, type, caps,
 * then slowing — the most fundamental refusal is reported first.
 */
export function decideDial(input: {
  readonly number: DialNumber;
  readonly operator: DialPolicy;
  readonly account?: AccountDialPolicy;
  readonly usage: DialUsage;
  readonly now: Date;
}): DialDecision {
  const policy = effectivePolicy(input.operator, input.account);
  const { number, usage } = input;
  const accountList = input.account?.destinations;
  if (!onDestinationList(policy.destinations, number) || (accountList !== undefined && !onDestinationList(accountList, number))) {
    return { allowed: false, code: 'DIAL_REFUSED_DESTINATION', reason: 'destination' };
  }
  if (policy.refusedTypes.includes(number.type) && !policy.allowedTypes.includes(number.type)) {
    return { allowed: false, code: 'DIAL_REFUSED_NUMBER_TYPE', reason: 'number-type', type: number.type };
  }
  if (usage.accountConcurrent >= policy.maxConcurrentPerAccount) {
    return { allowed: false, code: 'DIAL_LIMIT_CONCURRENT', reason: 'account-concurrent', limit: policy.maxConcurrentPerAccount };
  }
  if (usage.roomConcurrent >= policy.maxConcurrentPerRoom) {
    return { allowed: false, code: 'DIAL_LIMIT_CONCURRENT', reason: 'room-concurrent', limit: policy.maxConcurrentPerRoom };
  }
  if (usage.accountAttemptsLastHour >= policy.maxAttemptsPerHour) {
    return { allowed: false, code: 'DIAL_LIMIT_RATE', reason: 'per-hour', limit: policy.maxAttemptsPerHour };
  }
  if (usage.accountAttemptsLastDay >= policy.maxAttemptsPerDay) {
    return { allowed: false, code: 'DIAL_LIMIT_RATE', reason: 'per-day', limit: policy.maxAttemptsPerDay };
  }
  const rest = slowDownSeconds(policy, usage.consecutiveFailures);
  if (rest > 0 && usage.lastFailureAt !== null) {
    const waited = (input.now.getTime() - usage.lastFailureAt.getTime()) / 1000;
    if (waited < rest) return { allowed: false, code: 'DIAL_SLOWED', reason: 'repeated-failures', retryAfterSeconds: Math.ceil(rest - waited) };
  }
  return { allowed: true };
}

/** The message a refusal is reported with (API `{code, message}`, never a number in clear). */
export function refusalMessage(refusal: DialRefusal): string {
  switch (refusal.code) {
    case 'DIAL_REFUSED_DESTINATION':
      return 'the dial policy does not allow calls to this destination';
    case 'DIAL_REFUSED_NUMBER_TYPE':
      return `the dial policy refuses ${refusal.type.toLowerCase().replace(/_/g, ' ')} numbers`;
    case 'DIAL_LIMIT_CONCURRENT':
      return refusal.reason === 'room-concurrent'
        ? `this room already has ${String(refusal.limit)} dial-outs in progress`
        : `the account already has ${String(refusal.limit)} outbound calls in progress`;
    case 'DIAL_LIMIT_RATE':
      return `the account has reached its limit of ${String(refusal.limit)} dial-outs ${refusal.reason === 'per-hour' ? 'per hour' : 'per day'}`;
    case 'DIAL_SLOWED':
      return `this number failed repeatedly; try again in ${String(refusal.retryAfterSeconds)} s`;
  }
}
