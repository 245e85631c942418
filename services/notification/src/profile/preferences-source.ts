// A recipient's preferences from the profile service (GET /profiles/:userId/preferences with this
// service's own token), remembered for a short while. Undefined when profile cannot answer (down,
// refused, malformed): callers fall back to defaults for transactional messages. Consent is never
// taken from memory: a marketing message asks afresh, so an opt-out a moment ago is honoured.
import type { Logger, ServiceClient } from '@shopnow/chassis';
import { CHANNELS, type Channel, type Preferences } from '../domain/delivery-plan.ts';

export interface PreferencesSource {
  /** `fresh`: ask profile even when a recent answer is remembered (consent for marketing). */
  get(userId: string, options?: { fresh?: boolean }): Promise<Preferences | undefined>;
}

interface ProfilePreferences {
  marketingOptIn?: unknown;
  channels?: unknown;
  locale?: unknown;
}

const MAX_CACHED = 10_000;

export function profilePreferences(options: {
  client: ServiceClient;
  /** This service's bearer for profile; undefined without service credentials. */
  authorization: (() => Promise<string>) | undefined;
  cacheMs: number;
  logger: Pick<Logger, 'warn'>;
}): PreferencesSource {
  const cache = new Map<string, { value: Preferences; until: number }>();
  const remember = (userId: string, value: Preferences) => {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { value, until: Date.now() + options.cacheMs });
  };
  return {
    async get(userId, { fresh = false } = {}) {
      const hit = cache.get(userId);
      if (!fresh && hit !== undefined && hit.until > Date.now()) return hit.value;
      cache.delete(userId);
      try {
        const headers =
          options.authorization === undefined ? undefined : { authorization: await options.authorization() };
        const res = await options.client.request<ProfilePreferences>({
          method: 'GET',
          path: `/profiles/${encodeURIComponent(userId)}/preferences`,
          ...(headers === undefined ? {} : { headers }),
        });
        const value = res.status === 200 ? parsePreferences(res.body) : undefined;
        if (value === undefined) {
          options.logger.warn({ userId, status: res.status }, 'profile gave no preferences; defaults apply');
          return undefined;
        }
        remember(userId, value);
        return value;
      } catch (err) {
        options.logger.warn({ err, userId }, 'profile unreachable; defaults apply');
        return undefined;
      }
    },
  };
}

function parsePreferences(body: ProfilePreferences | undefined): Preferences | undefined {
  if (body === undefined || typeof body.marketingOptIn !== 'boolean' || !Array.isArray(body.channels))
    return undefined;
  if (typeof body.locale !== 'string') return undefined;
  const channels = body.channels.filter((c): c is Channel => (CHANNELS as readonly unknown[]).includes(c));
  return { marketingOptIn: body.marketingOptIn, channels, locale: body.locale };
}
