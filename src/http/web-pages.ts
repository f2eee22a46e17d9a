import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from './security-headers.ts';

/** Where the page's files are: `src/web/`, shipped with the package. */
const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

/**
 * The Live Call Status page (sign-in, rooms, host console, guest view) and the security
 * headers of every answer (see security-headers.ts). The page's files are served from the
 * package itself: nothing is fetched from elsewhere.
 */
export async function webPages(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
  // One route per file found at start (no wildcard), so unknown paths stay ordinary 404s.
  await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: false, index: 'index.html', cacheControl: true, maxAge: 0 });
}
