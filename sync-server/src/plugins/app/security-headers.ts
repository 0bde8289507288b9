import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What the till and the console may load: only their own origin. No inline script (the built
 * PWA has none), no eval, no plugins, no framing, forms and fetches only to this server. React
 * sets styles through the DOM, which a CSP does not restrict, so `style-src 'self'` holds too.
 * A script injected into a page (a product name, a receipt, a CSV cell) cannot run, and could
 * not send what it read anywhere but here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers that cost the PWA nothing: no MIME sniffing, no framing (clickjacking a till), no
 * referrer leaking URLs, and the Content-Security-Policy above on everything but the API docs
 * (Swagger UI runs inline scripts; it is read-only documentation).
 */
async function securityHeaders(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!request.url.startsWith('/docs')) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
