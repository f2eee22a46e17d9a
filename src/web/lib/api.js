// The page's only way to the server: the same JSON API every client uses. Cookie sessions
// need the CSRF token (kept for this tab only) on every request that changes something.

const CSRF_KEY = 'dialbridge.csrf';

/** An API failure, with a sentence a person can read. */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {string} sentence
   * @param {number} status
   */
  constructor(code, sentence, status) {
    super(sentence);
    this.code = code;
    this.status = status;
  }
}

/** @type {Readonly<Record<string, string>>} */
const SENTENCES = {
  UNAUTHORIZED: 'You are not signed in, or your session has ended. Please sign in again.',
  CSRF_INVALID: 'This tab has lost its sign-in. Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that in this room.',
  NOT_FOUND: 'That no longer exists, or you may not see it.',
  CONFERENCE_NOT_ACTIVE: 'No conference is running in this room right now.',
  LEG_GONE: 'That caller has already left the call.',
  ROOM_LOCKED: 'The room is locked.',
  RECORDING_STATE: 'The recording cannot do that right now.',
  ENGINE_UNAVAILABLE: 'The call server is not available right now. Please try again shortly.',
  OPERATION_TIMEOUT: 'The call server did not answer in time. Please try again.',
  INTERNAL: 'Something went wrong on the server. Please try again.',
};

/**
 * A readable sentence for an API error: a known code's own sentence, else the server's
 * message with a capital letter and a full stop.
 * @param {string} code
 * @param {string} message
 * @returns {string}
 */
export function sentenceFor(code, message) {
  const known = SENTENCES[code];
  if (known !== undefined) return known;
  const text = message.trim() === '' ? 'The request failed' : message.trim();
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** @param {string} token */
export function rememberCsrf(token) {
  sessionStorage.setItem(CSRF_KEY, token);
}

export function forgetCsrf() {
  sessionStorage.removeItem(CSRF_KEY);
}

/** @returns {string | null} */
export function csrfToken() {
  return sessionStorage.getItem(CSRF_KEY);
}

/**
 * Calls the API; resolves with the parsed body (null when empty), rejects with an ApiError.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const csrf = csrfToken();
  if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError('NETWORK', 'The server cannot be reached. Check the connection and try again.', 0);
  }
  const text = await res.text();
  /** @type {unknown} */
  let parsed = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (res.ok) return parsed;
  const err = /** @type {{ code?: unknown, message?: unknown } | null} */ (parsed);
  const code = typeof err?.code === 'string' ? err.code : 'INTERNAL';
  const message = typeof err?.message === 'string' ? err.message : `the server answered ${String(res.status)}`;
  throw new ApiError(code, sentenceFor(code, message), res.status);
}

/**
 * The sentence to show for anything a call to the API threw.
 * @param {unknown} err
 * @returns {string}
 */
export function errorSentence(err) {
  return err instanceof ApiError ? err.message : 'Something went wrong in the page. Please reload it.';
}
