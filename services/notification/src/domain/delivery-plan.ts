// Where a message goes, from its category and the recipient's preferences (the profile service's
// marketingOptIn and channels), decided when it is prepared:
// - account messages (links, security notices) go by email only and always: a preference must
//   never keep a password-reset link or a lockout notice from its owner, and a link in the inbox
//   would be of no use to someone who cannot sign in;
// - order and shipping messages, and alerts the user asked for (back in stock), always reach the
//   in-app inbox, and go by email unless the user left email out of their channels; unknown
//   preferences (profile down) mean the defaults, so they still go;
// - marketing needs a known opt-in: with preferences unknown the decision waits (retried later),
//   without consent nothing is sent, and it goes only to the channels the user chose.
import type { Category } from './message-kinds.ts';

export const CHANNELS = ['email', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Preferences {
  marketingOptIn: boolean;
  channels: readonly Channel[];
  locale: string;
}

export type DeliveryPlan =
  | { kind: 'deliver'; email: boolean; inApp: boolean }
  | { kind: 'skip'; reason: 'marketing_opt_out' | 'no_channel' }
  | { kind: 'wait'; reason: 'preferences_unknown' };

export function planDelivery(category: Category, preferences: Preferences | undefined): DeliveryPlan {
  switch (category) {
    case 'account':
      return { kind: 'deliver', email: true, inApp: false };
    case 'order':
    case 'shipping':
    case 'alert':
      return { kind: 'deliver', email: preferences?.channels.includes('email') ?? true, inApp: true };
    case 'marketing': {
      if (preferences === undefined) return { kind: 'wait', reason: 'preferences_unknown' };
      if (!preferences.marketingOptIn) return { kind: 'skip', reason: 'marketing_opt_out' };
      const email = preferences.channels.includes('email');
      const inApp = preferences.channels.includes('in_app');
      return email || inApp ? { kind: 'deliver', email, inApp } : { kind: 'skip', reason: 'no_channel' };
    }
  }
}
