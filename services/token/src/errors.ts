// Everything the token service may refuse, with stable codes.
import { defineErrors } from '@shopnow/chassis';

export const tokenErrors = defineErrors({
  'token.refresh_invalid': { status: 401, title: 'The refresh token is invalid, expired or revoked' },
  'token.refresh_superseded': {
    status: 409,
    title: 'This refresh token was just rotated by another request; use the newest one',
  },
  'token.subject_suspended': { status: 403, title: 'The account is suspended' },
  'token.session_not_found': { status: 404, title: 'Session not found' },
  'token.no_session': { status: 400, title: 'This access token belongs to no session' },
  'token.session_token_required': {
    status: 403,
    title: 'Sessions and API keys are managed with a session token, not an API-key token',
  },
  'token.invalid_client': { status: 401, title: 'Client authentication failed' },
  'token.unsupported_grant_type': { status: 400, title: 'Only grant_type=client_credentials is supported' },
  'token.api_keys_not_allowed': { status: 403, title: 'API keys need the premium or enterprise tier' },
  'token.api_key_limit': { status: 409, title: 'Too many active API keys' },
  'token.api_key_not_found': { status: 404, title: 'API key not found' },
  'token.api_key_invalid': { status: 401, title: 'The API key is invalid or revoked' },
});
