import type { LiveConference } from '../domain/live-view.ts';

/**
 * A room's last live view and what it was built from. The records it is built from are never
 * changed in place (a change replaces a leg's or conference's record), so when every input is
 * the same object as last time the view is the same and is handed out again: a status poll
 * then costs a few comparisons instead of a projection, and the HTTP layer can keep the view's
 * serialised body for as long as the view lasts.
 */
export class LiveViewMemo {
  #inputs: readonly unknown[] = [];
  #view: LiveConference | null = null;

  /** The view of `inputs` (compared item by item, by identity); `build` runs only when one changed. */
  get(inputs: readonly unknown[], build: () => LiveConference): LiveConference {
    if (this.#view !== null && sameItems(this.#inputs, inputs)) return this.#view;
    const view = build();
    this.#inputs = inputs;
    this.#view = view;
    return view;
  }
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
