import { randomUUID } from 'node:crypto';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { normaliseDid } from '../domain/dial-number.ts';
import type { Trunk, TrunkDid, TrunkTransport } from '../domain/trunk.ts';
import { parseCidr } from '../domain/trunk-cidr.ts';
import { AppError } from '../lib/errors.ts';
import type { TrunkInput } from '../storage/trunk-repo.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { badField, cleanText } from './validation.ts';

/** A trunk as a client asks for it: DIDs may be national (the trunk's country), the password is write-only. */
export interface RawTrunk {
  readonly name: string;
  readonly accountId?: string | null | undefined;
  readonly country?: string | null | undefined;
  readonly inboundCidrs?: readonly string[] | undefined;
  readonly outboundUri?: string | null | undefined;
  readonly transport?: TrunkTransport | undefined;
  readonly username?: string | null | undefined;
  readonly password?: string | null | undefined;
  readonly callerIds?: readonly string[] | undefined;
  readonly maxConcurrent?: number | undefined;
  readonly dids?: readonly { readonly did: string; readonly serviceNumber: string }[] | undefined;
}

/** A trunk with its DIDs, as the API shows it (never its password). */
export interface TrunkView extends Omit<Trunk, 'inboundCidrs' | 'callerIds'> {
  readonly inboundCidrs: string[];
  readonly callerIds: string[];
  readonly dids: Pick<TrunkDid, 'did' | 'serviceNumber'>[];
}

function viewOf(ctx: Pick<AdminContext, 'store'>, trunk: Trunk): TrunkView {
  return {
    ...trunk,
    inboundCidrs: [...trunk.inboundCidrs],
    callerIds: [...trunk.callerIds],
    dids: ctx.store.trunks.dids(trunk.id).map(({ did, serviceNumber }) => ({ did, serviceNumber })),
  };
}

function checkInput(ctx: AdminContext, raw: RawTrunk): { input: TrunkInput; dids: { did: string; serviceNumber: string }[] } {
  const accountId = raw.accountId ?? null;
  if (accountId !== null && ctx.store.accounts.get(accountId) === null) throw badField('body/accountId', 'must be an existing account');
  const cidrs = (raw.inboundCidrs ?? []).map((c, i) => {
    if (parseCidr(c) === null) throw badField(`body/inboundCidrs/${i}`, 'must be an address range such as 192.0.2.0/24 or 2001:db8::/32 (no host bits set)');
    return c.trim();
  });
  const outboundUri = raw.outboundUri ?? null;
  if (outboundUri !== null && !/^sips?:([^@\s;]+@)?[A-Za-z0-9.\-[\]:]+(:\d{1,5})?(;[^\s]*)?$/.test(outboundUri)) {
    throw badField('body/outboundUri', 'must be a SIP URI such as sip:sbc.carrier.example:5060');
  }
  const rawCountry = raw.country ?? null;
  if (rawCountry !== null && !isSupportedCountry(rawCountry)) throw badField('body/country', 'must be a two-letter country code such as GB, DE or US');
  const country: CountryCode | null = rawCountry;
  const dids = (raw.dids ?? []).map((d, i) => {
    const did = normaliseDid(d.did, country ?? undefined);
    if (did === null) throw badField(`body/dids/${i}/did`, 'must be a possible number: international, or national in the trunk\'s country');
    if (ctx.store.serviceNumbers.get(d.serviceNumber) === null) throw badField(`body/dids/${i}/serviceNumber`, 'must be an existing service number');
    return { did, serviceNumber: d.serviceNumber };
  });
  const seen = new Set<string>();
  for (const [i, d] of dids.entries()) {
    if (seen.has(d.did)) throw badField(`body/dids/${i}/did`, 'is listed twice');
    seen.add(d.did);
  }
  return {
    input: {
      name: cleanText(raw.name, 'body/name'),
      accountId,
      country,
      inboundCidrs: cidrs,
      outboundUri,
      transport: raw.transport ?? 'udp',
      username: raw.username ?? null,
      ...(raw.password === undefined ? {} : { password: raw.password }),
      callerIds: (raw.callerIds ?? []).map((n, i) => {
        const e164 = n.startsWith('+') ? normaliseDid(n, undefined) : null;
        if (e164 === null) throw badField(`body/callerIds/${i}`, 'must be a possible E.164 number such as +442071234567');
        return e164;
      }),
      maxConcurrent: raw.maxConcurrent ?? 10,
    },
    dids,
  };
}

/** Adds a trunk and its DIDs. The audit says what was set, never the password. */
export function createTrunk(ctx: AdminContext, raw: RawTrunk): TrunkView {
  const { input, dids } = checkInput(ctx, raw);
  const trunk = ctx.store.transaction(() => {
    const created = ctx.store.trunks.create(randomUUID(), input, ctx.now());
    ctx.store.trunks.setDids(created.id, dids);
    return created;
  });
  audit(ctx, { accountId: trunk.accountId, action: 'trunk.created', target: { kind: 'trunk', id: trunk.id }, detail: { name: trunk.name, dids: dids.length, hasPassword: trunk.hasPassword } });
  return viewOf(ctx, trunk);
}

/** Replaces a trunk's settings (a missing password keeps the stored one). */
export function replaceTrunk(ctx: AdminContext, id: string, raw: RawTrunk): TrunkView {
  if (ctx.store.trunks.get(id) === null) throw new AppError('NOT_FOUND', 'trunk not found');
  const { input, dids } = checkInput(ctx, raw);
  const trunk = ctx.store.transaction(() => {
    const updated = ctx.store.trunks.update(id, input);
    ctx.store.trunks.setDids(id, dids);
    return updated;
  });
  audit(ctx, { accountId: trunk.accountId, action: 'trunk.updated', target: { kind: 'trunk', id }, detail: { passwordChanged: raw.password !== undefined, dids: dids.length } });
  return viewOf(ctx, trunk);
}

/** Deletes a trunk (its DIDs go with it). */
export function deleteTrunk(ctx: AdminContext, id: string): void {
  const trunk = ctx.store.trunks.get(id);
  if (trunk === null) throw new AppError('NOT_FOUND', 'trunk not found');
  ctx.store.trunks.remove(id);
  audit(ctx, { accountId: trunk.accountId, action: 'trunk.deleted', target: { kind: 'trunk', id }, detail: { name: trunk.name } });
}

/** One trunk as the API shows it, or NOT_FOUND. */
export function trunkView(ctx: Pick<AdminContext, 'store'>, id: string): TrunkView {
  const trunk = ctx.store.trunks.get(id);
  if (trunk === null) throw new AppError('NOT_FOUND', 'trunk not found');
  return viewOf(ctx, trunk);
}
