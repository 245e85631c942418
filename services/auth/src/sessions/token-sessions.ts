// Opening a session is the token service's job: after a good password, auth asks it
// (POST /sessions, with auth's own service token) for the access and refresh tokens.
import { AppError, type ServiceClient } from '@shopnow/chassis';
import { authErrors } from '../errors.ts';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  sessionId: string;
}

export interface Device {
  userAgent: string;
  ip: string;
}

export interface SessionOpener {
  open(userId: string, device: Device): Promise<SessionTokens>;
}

export function tokenServiceSessions(options: {
  client: ServiceClient;
  /** `Authorization` header value of auth's own token; undefined when it has none configured. */
  authorization: (() => Promise<string>) | undefined;
}): SessionOpener {
  return {
    async open(userId, device) {
      const { authorization } = options;
      if (authorization === undefined) {
        throw new AppError(authErrors['auth.sessions_unavailable'], 'auth has no service credentials');
      }
      // No service token or no answer: the session cannot be opened now (503), never a 500.
      const unavailable = (err: unknown): never => {
        throw new AppError(authErrors['auth.sessions_unavailable'], undefined, undefined, { cause: err });
      };
      const header = await authorization().catch(unavailable);
      const response = await options.client
        .request<SessionTokens>({
          method: 'POST',
          path: '/sessions',
          headers: { authorization: header },
          body: { userId, device },
        })
        .catch(unavailable);
      if (
        (response.status !== 200 && response.status !== 201) ||
        typeof response.body?.accessToken !== 'string'
      ) {
        throw new AppError(
          authErrors['auth.sessions_unavailable'],
          `the token service answered ${response.status}`,
        );
      }
      const { accessToken, refreshToken, tokenType, expiresIn, sessionId } = response.body;
      return { accessToken, refreshToken, tokenType, expiresIn, sessionId };
    },
  };
}
