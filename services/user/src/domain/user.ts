// The user record and its vocabularies. The lists mirror @shopnow/contracts (domain code imports
// no packages); test/domain.test.ts fails if they drift apart.

export const ROLES = ['customer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const TIERS = ['free', 'premium', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];
export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const MAX_DISPLAY_NAME_LENGTH = 100;
export const MAX_SUSPENSION_REASON_LENGTH = 500;
export const MAX_EMAIL_LENGTH = 254;

/** What a newly registered user starts with. */
export const DEFAULT_ROLES: readonly Role[] = ['customer'];
export const DEFAULT_TIER: Tier = 'free';

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  tier: Tier;
  status: UserStatus;
  suspendedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
