// Guards beyond the chassis's. Sessions and API keys are managed with a session's token only: an
// API key (scoped, meant for scripts) must not sign its owner out or mint more keys.
// Routes run their guards onRequest, before body validation: an anonymous caller gets 401 and
// learns nothing about the schema.
import { AppError, requireUser } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenErrors } from '../errors.ts';

export async function requireSessionUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireUser(request, reply);
  if (request.identity?.kind === 'user' && request.identity.apiKeyId !== undefined) {
    throw new AppError(tokenErrors['token.session_token_required']);
  }
}
