import { type IncomingMessage, request } from 'node:http';

/** One parsed Server-Sent Events block (an event or a comment). */
export interface SseBlock {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
  readonly retry?: string;
  readonly comment?: string;
}

/** A test client for an event stream, reading over a real socket. */
export interface SseClient {
  readonly status: number;
  readonly headers: Headers;
  /** The body when the server answered with something other than a stream. */
  readonly text: string | null;
  /** The next block, or null when the stream ended. */
  next(): Promise<SseBlock | null>;
  /** The next block that is an event (skipping comments and `retry`). */
  nextEvent(): Promise<SseBlock | null>;
  /** Stops reading from the socket (to play a slow client). */
  pause(): void;
  close(): void;
}

function parseBlock(raw: string): SseBlock {
  const block: { event?: string; id?: string; data?: string; retry?: string; comment?: string } = {};
  const data: string[] = [];
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) {
      block.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event' || field === 'id' || field === 'retry') block[field] = value;
  }
  if (data.length > 0) block.data = data.join('\n');
  return block;
}

/**
 * Opens `url` with node:http (one dedicated connection, no pool: undici's fetch was seen to
 * open a spare idle connection after an abort, which held the server's shutdown for 4 s)
 * and parses the stream block by block.
 */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, resolve);
    req.on('error', reject);
    req.end();
  });
  const isStream = res.headers['content-type']?.startsWith('text/event-stream') ?? false;
  res.setEncoding('utf8');
  const chunks: string[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = (): void => {
    for (const resolve of waiters.splice(0)) resolve();
  };
  res.on('data', (chunk: string) => {
    chunks.push(chunk);
    wake();
  });
  const end = (): void => {
    ended = true;
    wake();
  };
  res.on('end', end);
  res.on('close', end);
  res.on('error', end);

  const text = isStream
    ? null
    : await new Promise<string>((resolve) => {
        const done = (): void => {
          resolve(chunks.join(''));
        };
        if (ended) done();
        else res.once('end', done);
      });
  let buffer = '';

  const next = async (): Promise<SseBlock | null> => {
    for (;;) {
      buffer += chunks.splice(0).join('');
      const cut = buffer.indexOf('\n\n');
      if (cut !== -1) {
        const raw = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        return parseBlock(raw);
      }
      if (ended) return null;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const headerMap = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (typeof value === 'string') headerMap.set(name, value);
  }

  return {
    status: res.statusCode ?? 0,
    headers: headerMap,
    text,
    next,
    async nextEvent() {
      for (;;) {
        const block = await next();
        if (block === null || block.event !== undefined) return block;
      }
    },
    pause: () => {
      res.pause();
    },
    close: () => {
      res.destroy();
    },
  };
}
