/** One member as `conference <name> json_list` reports it. */
export interface ListedMember {
  readonly memberId: string;
  readonly uuid: string;
  readonly muted: boolean;
  readonly deaf: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses the reply of `conference <name> json_list` (mod_conference): an array of rooms, each
 * with `members` carrying `id`, `uuid` and `flags.can_hear` / `flags.can_speak`. Returns
 * `undefined` when the room does not exist (FreeSWITCH answers with text, not JSON) and
 * skips anything that is not a caller with a UUID.
 */
export function parseJsonList(reply: string): ListedMember[] | undefined {
  const text = reply.trim();
  if (!text.startsWith('[') && !text.startsWith('{')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const rooms = Array.isArray(data) ? data : [data];
  const out: ListedMember[] = [];
  for (const room of rooms) {
    if (!isRecord(room) || !Array.isArray(room.members)) continue;
    for (const m of room.members) {
      if (!isRecord(m) || typeof m.uuid !== 'string' || m.uuid === '') continue;
      if (m.type !== undefined && m.type !== 'caller') continue;
      const flags = isRecord(m.flags) ? m.flags : {};
      out.push({
        memberId: String(m.id),
        uuid: m.uuid,
        muted: flags.can_speak === false,
        deaf: flags.can_hear === false,
      });
    }
  }
  return out;
}
