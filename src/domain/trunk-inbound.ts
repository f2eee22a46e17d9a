import type { CountryCode } from 'libphonenumber-js';
import { normaliseDid } from './dial-number.ts';
import { trunkForSource, type Trunk, type TrunkDid } from './trunk.ts';

/** Where an inbound call goes, decided from its source address and dialled number. */
export type InboundRoute =
  | {
      readonly accepted: true;
      /** The service number whose rooms answer (a DID's mapping, else the dialled number as sent). */
      readonly serviceNumber: string;
      /** The trunk it came over; null when open inbound let a non-trunk address in. */
      readonly trunk: Trunk | null;
      /** Country for national CLIs: the trunk's, else the server default. */
      readonly country: CountryCode | undefined;
    }
  | { readonly accepted: false; readonly status: 403; readonly reason: 'source-not-a-trunk' };

/**
 * Decides an inbound call: accepted only from an address in some trunk's ranges (or from
 * anywhere when `openInbound`, the development setting). The dialled number is normalised
 * (E.164, the trunk's country as default) and looked up among the DIDs; a DID delivers its
 * service number, so one room answers on several DIDs. A number that is no DID stays as sent
 * (a service number dialled directly, e.g. `1000` in development).
 */
export function routeInbound(input: {
  readonly trunks: readonly Trunk[];
  readonly sourceAddress: string;
  readonly dialled: string;
  readonly openInbound: boolean;
  readonly defaultCountry: CountryCode | undefined;
  readonly didOwner: (e164: string) => TrunkDid | null;
}): InboundRoute {
  const trunk = trunkForSource(input.trunks, input.sourceAddress);
  if (trunk === null && !input.openInbound) return { accepted: false, status: 403, reason: 'source-not-a-trunk' };
  const country = trunk?.country ?? input.defaultCountry;
  const e164 = normaliseDid(input.dialled, country);
  const did = e164 === null ? null : input.didOwner(e164);
  return { accepted: true, serviceNumber: did?.serviceNumber ?? input.dialled, trunk, country };
}
