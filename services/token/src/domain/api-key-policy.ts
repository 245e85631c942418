// Who may create API keys, and what an API key may be allowed to do.
export const API_KEY_SCOPES = ['catalog:read', 'orders:read', 'orders:write', 'profile:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** Active keys one user may hold: enough for real integrations, bounded against abuse. */
export const MAX_API_KEYS_PER_USER = 20;
export const MAX_API_KEY_NAME_LENGTH = 100;

/** API keys are a paid feature; admins may always create them. */
export function mayCreateApiKeys(subject: { tier: string; roles: readonly string[] }): boolean {
  return subject.tier === 'premium' || subject.tier === 'enterprise' || subject.roles.includes('admin');
}
