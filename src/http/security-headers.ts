import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';

/** A header helmet sets, by its lower-case name, with the value it gives. */
export type SecurityHeaders = Readonly<Record<string, string>>;

/**
 * The security headers of every answer, as helmet writes them for this configuration. The
 * Content-Security-Policy allows only this origin's own scripts, styles and connections (no
 * inline script, no eval, no framing); HSTS is left to the proxy (the server is often reached
 * over plain HTTP on a private network).
 *
 * Helmet is run once, here, on a response that is never sent, and what it set is kept: with no
 * nonce and a fixed configuration its headers are the same for every request, and running its
 * eleven middlewares on each request was a sizeable part of what a status request cost.
 */
export function securityHeaders(): SecurityHeaders {
  const secure = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
  });
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  const outcome: { finished: boolean; failure: unknown } = { finished: false, failure: null };
  secure(request, response, (err?: unknown) => {
    outcome.finished = true;
    outcome.failure = err ?? null;
  });
  if (!outcome.finished || outcome.failure !== null) throw new Error('helmet did not set the security headers synchronously');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}
