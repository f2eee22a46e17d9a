import type { RoomSettings, RoomSummary } from '../domain/access.ts';
import { isValidPin, toSummary, type PinDigest, type Room } from '../domain/room.ts';
import { AppError, isAppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { newPin } from './secrets.ts';
import { badField, cleanText } from './validation.ts';

/** A new room: the PINs are generated when left out. */
export interface RoomInput {
  readonly name: string;
  readonly ownerUserId: string;
  readonly serviceNumber: string;
  readonly participantPin?: string | undefined;
  readonly hostPin?: string | undefined;
  readonly settings?: Partial<RoomSettings> | undefined;
}

/** PINs as shown once, when they are set: only the ones that changed. */
export interface ShownPins {
  readonly participantPin?: string;
  readonly hostPin?: string;
}

const GENERATED_PIN_LENGTH = 6;
const GENERATE_TRIES = 20;

function digest(ctx: AdminContext, pin: string): PinDigest {
  return { hash: ctx.store.hashPin(pin), length: pin.length };
}

function checkPin(pin: string, field: string): string {
  if (!isValidPin(pin)) throw badField(field, 'must be 4 to 12 digits');
  return pin;
}

function checkOwner(ctx: AdminContext, accountId: string, ownerUserId: string): void {
  const owner = ctx.store.users.get(ownerUserId);
  if (owner?.accountId !== accountId || owner.role === 'delegate') {
    throw badField('body/ownerUserId', 'must be a host or an admin of the account');
  }
}

function checkServiceNumber(ctx: AdminContext, accountId: string, number: string): void {
  if (ctx.store.serviceNumbers.get(number)?.accountId !== accountId) {
    throw new AppError('SERVICE_NUMBER_UNAVAILABLE', 'the service number is not one of the account\'s numbers', { details: { field: 'serviceNumber' } });
  }
}

function retryable(err: unknown): boolean {
  return isAppError(err, 'PIN_IN_USE') || isAppError(err, 'PINS_EQUAL');
}

/**
 * Saves with the given PINs, generating those left out; generated PINs are drawn again (a
 * bounded number of times) while another room on the number uses them.
 */
function withPins<T>(given: { participantPin?: string | undefined; hostPin?: string | undefined }, save: (participantPin: string, hostPin: string) => T): { result: T; shown: Required<ShownPins> } {
  const generates = given.participantPin === undefined || given.hostPin === undefined;
  for (let attempt = 1; ; attempt++) {
    const participantPin = given.participantPin ?? newPin(GENERATED_PIN_LENGTH);
    const hostPin = given.hostPin ?? newPin(GENERATED_PIN_LENGTH);
    try {
      return { result: save(participantPin, hostPin), shown: { participantPin, hostPin } };
    } catch (err) {
      if (!generates || attempt >= GENERATE_TRIES || !retryable(err)) throw err;
    }
  }
}

/** Creates a room in an account; its PINs are shown once in the answer. */
export function createRoom(ctx: AdminContext, accountId: string, input: RoomInput): { room: RoomSummary; pins: Required<ShownPins> } {
  const name = cleanText(input.name, 'body/name');
  checkOwner(ctx, accountId, input.ownerUserId);
  checkServiceNumber(ctx, accountId, input.serviceNumber);
  const given = {
    participantPin: input.participantPin === undefined ? undefined : checkPin(input.participantPin, 'body/participantPin'),
    hostPin: input.hostPin === undefined ? undefined : checkPin(input.hostPin, 'body/hostPin'),
  };
  const { result, shown } = withPins(given, (participantPin, hostPin) =>
    ctx.store.rooms.create(
      {
        accountId,
        ownerUserId: input.ownerUserId,
        name,
        serviceNumber: input.serviceNumber,
        participantPin: digest(ctx, participantPin),
        hostPin: digest(ctx, hostPin),
        settings: input.settings ?? {},
      },
      ctx.now(),
    ),
  );
  audit(ctx, { accountId, action: 'room.created', target: { kind: 'room', id: result.id }, detail: { serviceNumber: result.serviceNumber, ownerUserId: result.ownerUserId } });
  return { room: toSummary(result), pins: shown };
}

/** Changes a room's name, owner, service number or settings. */
export function updateRoom(
  ctx: AdminContext,
  room: Room,
  patch: { name?: string | undefined; ownerUserId?: string | undefined; serviceNumber?: string | undefined; settings?: Partial<RoomSettings> | undefined },
): RoomSummary {
  const name = patch.name === undefined ? undefined : cleanText(patch.name, 'body/name');
  if (patch.ownerUserId !== undefined) checkOwner(ctx, room.accountId, patch.ownerUserId);
  if (patch.serviceNumber !== undefined) checkServiceNumber(ctx, room.accountId, patch.serviceNumber);
  const updated = ctx.store.transaction(() => {
    if (patch.serviceNumber !== undefined && patch.serviceNumber !== room.serviceNumber) ctx.store.rooms.updateAccess(room.id, { serviceNumber: patch.serviceNumber });
    return ctx.store.rooms.update(room.id, { ...(name === undefined ? {} : { name }), ...(patch.ownerUserId === undefined ? {} : { ownerUserId: patch.ownerUserId }), settings: patch.settings ?? {} });
  });
  audit(ctx, { accountId: room.accountId, action: 'room.updated', target: { kind: 'room', id: room.id }, detail: { fields: Object.keys(patch) } });
  return toSummary(updated);
}

/**
 * Sets a room's PINs: a given PIN is checked and used, `generate` makes a new one; a PIN
 * left out stays. The new PINs are shown once; the old ones stop working for the next caller.
 */
export function setPins(ctx: AdminContext, room: Room, request: { participantPin?: string | undefined; hostPin?: string | undefined }): ShownPins {
  const pick = (value: string | undefined, field: string): string | null | undefined =>
    value === undefined ? undefined : value === 'generate' ? null : checkPin(value, field);
  const participant = pick(request.participantPin, 'body/participantPin');
  const host = pick(request.hostPin, 'body/hostPin');
  if (participant === undefined && host === undefined) throw badField('body', 'must name participantPin or hostPin');
  let shown: ShownPins = {};
  for (let attempt = 1; attempt <= GENERATE_TRIES; attempt++) {
    const p = participant === null ? newPin(GENERATED_PIN_LENGTH) : participant;
    const h = host === null ? newPin(GENERATED_PIN_LENGTH) : host;
    try {
      ctx.store.rooms.updateAccess(room.id, { ...(p === undefined ? {} : { participantPin: digest(ctx, p) }), ...(h === undefined ? {} : { hostPin: digest(ctx, h) }) });
      shown = { ...(p === undefined ? {} : { participantPin: p }), ...(h === undefined ? {} : { hostPin: h }) };
      break;
    } catch (err) {
      const retry = (participant === null || host === null) && attempt < GENERATE_TRIES && retryable(err);
      if (!retry) throw err;
    }
  }
  audit(ctx, { accountId: room.accountId, action: 'room.pins-changed', target: { kind: 'room', id: room.id }, detail: { pins: Object.keys(shown) } });
  return shown;
}

/** Deletes a room with its history; `INVALID_TRANSITION` while a conference runs in it. */
export function deleteRoom(ctx: AdminContext, room: Room, conferenceRunning: boolean): void {
  if (conferenceRunning) throw new AppError('INVALID_TRANSITION', 'a conference is running in the room: end it first', { details: { roomId: room.id } });
  ctx.store.rooms.remove(room.id);
  audit(ctx, { accountId: room.accountId, action: 'room.deleted', target: { kind: 'room', id: room.id }, detail: {} });
}
