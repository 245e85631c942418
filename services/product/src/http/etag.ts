// Conditional GET (RFC 9110 §13.1.2) for JSON already serialised (the read cache's bodies).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../cache/product-cache.ts';

/** If-None-Match uses weak comparison, accepts "*" and comma-separated lists. */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return value.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * Sends pre-serialised JSON with its ETag, or 304 when the client already has it. Takes the
 * untyped reply: the body is a string produced from a value the route's schema describes.
 */
export function sendWithEtag(request: FastifyRequest, reply: FastifyReply, cached: CachedBody): FastifyReply {
  reply.header('etag', cached.etag).header('cache-control', 'no-cache');
  if (ifNoneMatchHits(request.headers['if-none-match'], cached.etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(cached.body);
}
