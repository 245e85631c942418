// A user's preferences: marketing consent (off until given), notification channels, locale and
// display currency. A full replace and a partial change go through the same checks.
import { type Currency, DEFAULT_CURRENCY, isSupportedCurrency } from './currencies.ts';
import type { Checked, FieldProblem } from './field-problem.ts';
import { canonicalLocale, DEFAULT_LOCALE } from './locale.ts';

export const CHANNELS = ['email', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Preferences {
  marketingOptIn: boolean;
  /** A subset of CHANNELS, in CHANNELS order; empty means "tell me nothing optional". */
  channels: Channel[];
  locale: string;
  currency: Currency;
}

export interface PreferencesInput {
  marketingOptIn: boolean;
  channels: string[];
  locale: string;
  currency: string;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  marketingOptIn: false, // consent is opt-in (GDPR): never assumed
  channels: [...CHANNELS],
  locale: DEFAULT_LOCALE,
  currency: DEFAULT_CURRENCY,
});

/** Checks a complete set of preferences and returns it as stored (canonical locale, ordered channels). */
export function preparePreferences(input: PreferencesInput): Checked<Preferences> {
  const problems: FieldProblem[] = [];
  const channels: Channel[] = [];
  input.channels.forEach((channel, index) => {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      problems.push({ field: `/channels/${index}`, message: `must be one of ${CHANNELS.join(', ')}` });
    }
  });
  for (const channel of CHANNELS) if (input.channels.includes(channel)) channels.push(channel);
  const locale = canonicalLocale(input.locale);
  if (locale === undefined) {
    problems.push({ field: '/locale', message: 'is not a BCP 47 language tag such as en-GB' });
  }
  if (!isSupportedCurrency(input.currency)) {
    problems.push({ field: '/currency', message: 'is not a supported ISO 4217 currency code' });
  }
  if (problems.length > 0 || locale === undefined) return { ok: false, problems };
  return {
    ok: true,
    value: {
      marketingOptIn: input.marketingOptIn,
      channels,
      locale,
      currency: input.currency as Currency,
    },
  };
}

/** Applies a partial change to the stored preferences. */
export function changePreferences(
  current: Preferences,
  changes: Partial<PreferencesInput>,
): Checked<Preferences> {
  return preparePreferences({ ...current, ...definedOnly(changes) });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
