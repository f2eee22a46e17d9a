import type { AuditActor } from '../domain/audit.ts';
import type { Principal } from '../domain/principal.ts';
import type { Credential } from './authenticator.ts';

/** The audit log's view of who made a request: role and id, the credential kind, the address. */
export function auditActor(principal: Principal, credential: Credential, sourceAddress: string | null): AuditActor {
  const via = credential.kind === 'session' ? 'session' : 'api-key';
  switch (principal.kind) {
    case 'operator':
      return { kind: 'operator', id: null, role: 'operator', via, sourceAddress };
    case 'user':
      return { kind: 'user', id: principal.id, role: principal.role, via, sourceAddress };
    case 'guest':
      return { kind: 'user', id: null, role: 'guest', via, sourceAddress };
    case 'leg':
      return { kind: 'leg', id: principal.legId, role: `${principal.role}-leg`, via: 'keypad', sourceAddress: null };
  }
}
