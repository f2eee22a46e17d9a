import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';

/** Where the page's files are: `src/web/`, shipped with the package. */
const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

/**
 * The Live Call Status page (sign-in, rooms, host console, guest view) and the security
 * headers of every answer. The page's files are served from the package itself: nothing is
 * fetched from elsewhere, and the Content-Security-Policy allows only this origin's own
 * scripts, styles and connections (no inline script, no eval, no framing).
 */
export async function webPages(app: FastifyInstance): Promise<void> {
  // Built once: @fastify/helmet rebuilt helmet's whole configuration on every request, a
  // sizeable part of what a status request cost. The headers are the same.
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
    // The server is often reached over plain HTTP on a private network; HSTS is the proxy's job.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    secure(request.raw, reply.raw, (err) => {
      done(err instanceof Error ? err : undefined);
    });
  });
  // One route per file found at start (no wildcard), so unknown paths stay ordinary 404s.
  await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: false, index: 'index.html', cacheControl: true, maxAge: 0 });
}
