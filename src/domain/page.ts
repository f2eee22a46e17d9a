/** One page of a list and the cursor of the next (null on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** How a caller asks for a page: at most `limit` items after `cursor` (opaque, from the last page). */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}
