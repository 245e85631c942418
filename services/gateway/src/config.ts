// The gateway's own environment variables (the common ones come from the chassis). What it routes
// and how lives in the route table file, not here: these are the process's wiring and its edge.
import { fileURLToPath } from 'node:url';
import { identityConfigSpec, num, positiveInt, str, url } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

export const DEFAULT_ROUTES_FILE = fileURLToPath(new URL('../routes.json', import.meta.url));

export const gatewayConfigSpec = {
  ...identityConfigSpec,
  ...eventsConfigSpec,
  ROUTES_FILE: str({
    default: DEFAULT_ROUTES_FILE,
    desc: 'the route table (JSON), reloaded when it changes',
  }),
  REDIS_URL: url({
    default: undefined,
    desc: 'a redis:// URL: rate limits and the response cache shared by every gateway replica',
  }),
  TRUSTED_PROXIES: str({
    default: '',
    desc: 'CIDRs of proxies in front of the gateway whose X-Forwarded-For is believed (comma-separated)',
  }),
  TLS_CERT_FILE: str({ default: undefined, desc: 'PEM certificate chain: the gateway serves HTTPS' }),
  TLS_KEY_FILE: str({ default: undefined, desc: 'PEM private key of TLS_CERT_FILE' }),
  HSTS_MAX_AGE_SECONDS: num({
    default: 31_536_000,
    desc: 'Strict-Transport-Security max-age on answers over HTTPS (0 tells browsers to forget it)',
  }),
  HTTP_REDIRECT_PORT: positiveInt({
    default: undefined,
    desc: 'with TLS: a plain-HTTP port answering 308 to the HTTPS URL',
  }),
  MAX_URL_LENGTH: positiveInt({ default: 8192, desc: 'longer request targets get 414' }),
  MAX_HEADER_BYTES: positiveInt({ default: 16_384, desc: 'larger request headers get 431' }),
  METRICS_ALLOW: str({
    default: '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
    desc: 'CIDRs that may read /metrics (Prometheus inside the cluster, not the internet)',
  }),
};

/** The settings buildGateway reads (a loaded config has them all; tests may pass just these). */
export interface GatewayConfig {
  HOST: string;
  PORT: number;
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  INSTANCE_ID?: string | undefined;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  EVENTS_TRANSPORT?: 'postgres' | 'rabbitmq' | undefined;
  BUS_DATABASE_URL?: string | undefined;
  AMQP_URL?: string | undefined;
  ROUTES_FILE: string;
  REDIS_URL?: string | undefined;
  TRUSTED_PROXIES: string;
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
  HTTP_REDIRECT_PORT?: number | undefined;
  HSTS_MAX_AGE_SECONDS: number;
  MAX_URL_LENGTH: number;
  MAX_HEADER_BYTES: number;
  METRICS_ALLOW: string;
}
