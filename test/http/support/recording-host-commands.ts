import type { Actor, HostCommands, LegCommand, RecordingCommand, RoomCommand } from '../../../src/flows/host-commands.ts';

/** One call the HTTP layer made. */
export type RecordedCommand =
  | { readonly kind: 'leg'; readonly roomId: string; readonly legId: string; readonly command: LegCommand; readonly actor: Actor }
  | { readonly kind: 'rename'; readonly roomId: string; readonly legId: string; readonly name: string; readonly actor: Actor }
  | { readonly kind: 'room'; readonly roomId: string; readonly command: RoomCommand; readonly actor: Actor }
  | { readonly kind: 'recording'; readonly roomId: string; readonly command: RecordingCommand; readonly actor: Actor };

/** A {@link HostCommands} that records every call and fails with `failWith` when set. */
export class RecordingHostCommands implements HostCommands {
  readonly calls: RecordedCommand[] = [];
  /** When set, every command rejects with this (after being recorded). */
  failWith: Error | undefined = undefined;

  async legCommand(roomId: string, legId: string, command: LegCommand, actor: Actor): Promise<void> {
    this.calls.push({ kind: 'leg', roomId, legId, command, actor });
    this.#maybeFail();
  }

  async rename(roomId: string, legId: string, name: string, actor: Actor): Promise<void> {
    this.calls.push({ kind: 'rename', roomId, legId, name, actor });
    this.#maybeFail();
  }

  async roomCommand(roomId: string, command: RoomCommand, actor: Actor): Promise<void> {
    this.calls.push({ kind: 'room', roomId, command, actor });
    this.#maybeFail();
  }

  async recordingCommand(roomId: string, command: RecordingCommand, actor: Actor): Promise<void> {
    this.calls.push({ kind: 'recording', roomId, command, actor });
    this.#maybeFail();
  }

  #maybeFail(): void {
    if (this.failWith !== undefined) throw this.failWith;
  }
}
