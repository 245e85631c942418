// POST /login: email and password in, the token service's session tokens out. Every failure
// looks alike: unknown email and wrong password are one 401 (same code and detail, about the
// same time); a throttled attempt is one 429 with Retry-After whether or not the account exists.
// A good password from a device the account has not used before tells its owner (client-device.ts).
import { type App, AppError, clientIpOf } from '@shopnow/chassis';
import { attemptLogin } from '../accounts/login-attempt.ts';
import { authErrors, INVALID_CREDENTIALS_DETAIL, TOO_MANY_ATTEMPTS_DETAIL } from '../errors.ts';
import { deviceSightingOf, userAgentOf } from './client-device.ts';
import type { RouteDeps } from './deps.ts';
import { emailFrom } from './inputs.ts';
import { LoginBody, SessionTokensSchema } from './schemas.ts';

export function registerLoginRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/login',
    {
      schema: {
        summary: 'Sign in: opens a session at the token service and returns its tokens',
        tags: ['sessions'],
        body: LoginBody,
        response: { 200: SessionTokensSchema },
      },
    },
    async (request, reply) => {
      const email = emailFrom(request.body.email);
      const result = await attemptLogin(deps, {
        email,
        password: request.body.password,
        ip: clientIpOf(request),
        device: deviceSightingOf(request),
      });
      if (result.outcome === 'throttled') {
        reply.header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
        throw new AppError(authErrors['auth.too_many_attempts'], TOO_MANY_ATTEMPTS_DETAIL);
      }
      if (result.outcome === 'invalid') {
        throw new AppError(authErrors['auth.invalid_credentials'], INVALID_CREDENTIALS_DETAIL);
      }
      return deps.sessions.open(result.userId, { userAgent: userAgentOf(request), ip: clientIpOf(request) });
    },
  );
}
