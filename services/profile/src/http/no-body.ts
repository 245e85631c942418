// Routes that act on the path alone (DELETE, default moves) still refuse a body that says
// something: `{}` or nothing is fine, any property or any non-object is a 400, like elsewhere.
import type { FastifyRequest } from 'fastify';
import { unexpectedBody } from '../errors.ts';

export async function refuseBody(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) throw unexpectedBody('/');
  const [first] = Object.keys(body);
  if (first !== undefined) throw unexpectedBody(`/${first.replaceAll('~', '~0').replaceAll('/', '~1')}`);
}
