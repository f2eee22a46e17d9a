/**
 * Server-Sent Events framing (WHATWG HTML Living Standard, "Server-sent events",
 * §9.2.6 interpreting an event stream): fields are `name: value` lines and a blank line
 * dispatches the event. A line break inside a value would end the field early, so every
 * line of the data becomes its own `data:` field (the client joins them with "\n").
 */

/** One event in the stream. */
export interface SseFrame {
  readonly event: string;
  readonly id: string;
  readonly data: string;
}

/** Removes line breaks from a single-line field value (event name, id). */
function singleLine(value: string): string {
  return value.replace(/[\r\n]/g, '');
}

/** The wire text of one event, ending with the blank line that dispatches it. */
export function formatSseEvent(frame: SseFrame): string {
  const dataLines = frame.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `event: ${singleLine(frame.event)}\nid: ${singleLine(frame.id)}\n${dataLines}\n`;
}

/** A comment line; clients ignore it, proxies see traffic and keep the connection open. */
export function formatSseComment(text: string): string {
  return `: ${singleLine(text)}\n\n`;
}

/** How long a client waits before reconnecting, in milliseconds (§9.2.6 `retry` field). */
export function formatSseRetry(ms: number): string {
  return `retry: ${String(Math.max(0, Math.floor(ms)))}\n\n`;
}
