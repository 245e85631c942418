// What the sender needs besides the database: settings, the profile's preferences, the SMTP
// mailer (absent without SMTP_URL), the rate limit toward it, links, counters and a logger.
import type { Logger } from '@shopnow/chassis';
import type { Mailer } from './delivery/mailer.ts';
import type { DeliveryMetrics } from './delivery/metrics.ts';
import type { TokenBucket } from './domain/token-bucket.ts';
import type { PreferencesSource } from './profile/preferences-source.ts';
import type { Links } from './templates/links.ts';

export interface DeliverySettings {
  /** Sends of an email before it is dead (SMTP_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** How long a message may wait for its recipient's address or a known opt-in (NOTIFICATION_MAX_WAIT_MS). */
  maxWaitMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A claimed message is another sender's again after this long (a send's budget plus margin). */
  leaseMs: number;
}

export interface DeliveryContext {
  settings: DeliverySettings;
  preferences: PreferencesSource;
  /** Undefined without SMTP_URL: messages are rendered and stored, never sent. */
  mailer: Mailer | undefined;
  bucket: TokenBucket;
  links: Links;
  metrics: DeliveryMetrics;
  logger: Logger;
}
