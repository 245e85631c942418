// The shape of the route table file (services/gateway/routes.json): the one declarative source of
// what the gateway exposes, where each route goes and what happens on the way. Every part of the
// gateway reads its settings from here, so this file is the contract between them.
import { type Static, Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Name = Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,62}$' });
const Cidr = Type.String({ minLength: 2, maxLength: 64 });
// Listed literal by literal: built with map(), the union's static type would be `never`.
const Method = Type.Union([
  Type.Literal('GET'),
  Type.Literal('HEAD'),
  Type.Literal('POST'),
  Type.Literal('PUT'),
  Type.Literal('PATCH'),
  Type.Literal('DELETE'),
  Type.Literal('OPTIONS'),
]);
const Millis = Type.Integer({ minimum: 1, maximum: 600_000 });

/** An upstream: a service found through discovery, and how the gateway talks to its instances. */
export const UpstreamSchema = Type.Object(
  {
    /** The service's name in discovery (launcher registry, DNS name in Kubernetes). */
    service: Name,
    balance: Type.Optional(Type.Union([Type.Literal('round_robin'), Type.Literal('least_outstanding')])),
    /** Per attempt, to response headers; a route's timeoutMs overrides it. Default 10 s. */
    timeoutMs: Type.Optional(Millis),
    connectTimeoutMs: Type.Optional(Millis),
    /** Kept-alive connections per instance. Default 64. */
    connections: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    /** Requests in flight to the whole upstream at once (bulkhead). Default 512. */
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    /** Long-lived answers (routes with `stream`) open to the whole upstream at once. Default 10,000. */
    maxStreams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** Extra attempts on another instance (idempotent requests, or the connection never opened). Default 1. */
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    health: Type.Optional(
      Type.Object(
        {
          path: Type.Optional(Type.String({ pattern: '^/' })), // default /health/ready
          intervalMs: Type.Optional(Millis), // default 2000
          timeoutMs: Type.Optional(Millis), // default 1000
          unhealthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), // default 2
          healthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), // default 1
        },
        strict,
      ),
    ),
    /** Passive ejection: `failures` within `windowMs` → out for `durationMs`. Defaults 3, 30 s, 30 s. */
    ejection: Type.Optional(
      Type.Object(
        {
          failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          windowMs: Type.Optional(Millis),
          durationMs: Type.Optional(Millis),
        },
        strict,
      ),
    ),
    /** Circuit breaker over the whole upstream. Defaults: 50% failures of ≥ 20 calls in 10 s → open 5 s. */
    breaker: Type.Optional(
      Type.Object(
        {
          failureRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
          minimumCalls: Type.Optional(Type.Integer({ minimum: 1 })),
          windowMs: Type.Optional(Millis),
          openMs: Type.Optional(Millis),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** Header operations, applied in the order remove → rename → set. Names are case-insensitive. */
export const HeaderOpsSchema = Type.Object(
  {
    remove: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    rename: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
    set: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  strict,
);

/**
 * JSON body operations, applied at every depth of a JSON body (objects inside arrays included):
 * remove fields, rename fields, and convert values. `money: "decimal"` turns every money object
 * `{amountMinor, currency}` into `{amount: "12.99", currency}` (the currency's minor-unit digits);
 * `times: "iso8601"` writes every `...At` field as an ISO-8601 UTC string.
 */
export const BodyOpsSchema = Type.Object(
  {
    remove: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    rename: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
    money: Type.Optional(Type.Literal('decimal')),
    times: Type.Optional(Type.Literal('iso8601')),
  },
  strict,
);

export const TransformSchema = Type.Object(
  {
    request: Type.Optional(Type.Object({ headers: Type.Optional(HeaderOpsSchema) }, strict)),
    response: Type.Optional(
      Type.Object({ headers: Type.Optional(HeaderOpsSchema), body: Type.Optional(BodyOpsSchema) }, strict),
    ),
  },
  strict,
);

/** Who may call a route: anyone, any signed-in user (or API key), or a user holding one of the roles. */
export const AuthRuleSchema = Type.Union([
  Type.Literal('public'),
  Type.Literal('user'),
  Type.Object({ roles: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, strict),
]);

export const RouteCacheSchema = Type.Object(
  {
    /** Freshness when the upstream sends no max-age. */
    ttlSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    /** After expiry, serve stale (X-Cache: STALE) while one background request revalidates. Default 0. */
    staleWhileRevalidateSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    /** Purge groups: an event or the admin purge of a tag drops every entry carrying it. */
    tags: Type.Optional(Type.Array(Name)),
    /** Request headers whose values split the cache (besides method, host and path+query). */
    vary: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  strict,
);

export const RouteSchema = Type.Object(
  {
    /** Unique; used in logs, metrics and the admin API. */
    name: Name,
    match: Type.Object(
      {
        /**
         * Public path. Segments are literal, `:param` (one segment), or a final `**` (any rest,
         * including nothing). `/api/products/**` matches `/api/products` and `/api/products/1/reviews`.
         */
        path: Type.String({ pattern: '^/' }),
        /** Default: any method. */
        methods: Type.Optional(Type.Array(Method, { minItems: 1 })),
        /** Exact Host (port ignored), case-insensitive. Default: any host. */
        host: Type.Optional(Type.String({ minLength: 1 })),
        /** Request headers that must have exactly these values (names case-insensitive). */
        headers: Type.Optional(Type.Record(Type.String(), Type.String())),
      },
      strict,
    ),
    /** Target path, with the same `:param` and `**` as match.path, e.g. `/products/**`. */
    rewrite: Type.String({ pattern: '^/' }),
    /** One upstream, or a weighted split (canary); the split is sticky per caller. */
    upstream: Type.Union([
      Name,
      Type.Array(
        Type.Object({ upstream: Name, weight: Type.Integer({ minimum: 0, maximum: 10_000 }) }, strict),
        {
          minItems: 1,
        },
      ),
    ]),
    auth: AuthRuleSchema,
    /** Extra strict buckets (names in rateLimits.buckets) on top of the caller's own limit. */
    rateLimit: Type.Optional(Type.Array(Name)),
    cache: Type.Optional(RouteCacheSchema),
    timeoutMs: Type.Optional(Millis),
    transform: Type.Optional(TransformSchema),
    /** Client IPs (CIDR) allowed / denied on this route; deny wins. Default: everyone. */
    ipAllow: Type.Optional(Type.Array(Cidr)),
    ipDeny: Type.Optional(Type.Array(Cidr)),
    /** Max request body for this route in bytes (below the gateway's global limit). */
    bodyLimitBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * Long-lived answers (server-sent events): each on a connection of its own, counted against
     * the upstream's maxStreams instead of maxConcurrent, never cached.
     */
    stream: Type.Optional(Type.Boolean()),
  },
  strict,
);

/** A token bucket: `limit` requests per `windowSeconds`, refilled continuously. */
export const BucketSchema = Type.Object(
  {
    limit: Type.Integer({ minimum: 1 }),
    windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  strict,
);

export const RateLimitsSchema = Type.Object(
  {
    /** Per user (or API key) by tier; `"unlimited"` skips limiting. */
    tiers: Type.Record(Type.String(), Type.Union([BucketSchema, Type.Literal('unlimited')])),
    /** Roles that are never limited (admin by default). */
    unlimitedRoles: Type.Optional(Type.Array(Type.String())),
    /** Per client IP, for callers without a token or key. */
    anonymous: BucketSchema,
    /** Strict buckets routes opt into; `key` says what they count by. */
    buckets: Type.Optional(
      Type.Record(
        Name,
        Type.Object(
          {
            limit: Type.Integer({ minimum: 1 }),
            windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
            key: Type.Union([Type.Literal('ip'), Type.Literal('caller')]),
          },
          strict,
        ),
      ),
    ),
  },
  strict,
);

export const CorsSchema = Type.Object(
  {
    /** Exact origins (`https://shop.example`) allowed to call from a browser. */
    origins: Type.Array(Type.String({ minLength: 1 })),
    methods: Type.Optional(Type.Array(Method)),
    allowHeaders: Type.Optional(Type.Array(Type.String())),
    exposeHeaders: Type.Optional(Type.Array(Type.String())),
    credentials: Type.Optional(Type.Boolean()),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  },
  strict,
);

/** Events that purge cache tags: an event type prefix (`product.`) → the tags it drops. */
export const PurgeOnSchema = Type.Record(Type.String({ minLength: 1 }), Type.Array(Name));

export const RouteTableFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    upstreams: Type.Record(Name, UpstreamSchema),
    routes: Type.Array(RouteSchema, { minItems: 1 }),
    rateLimits: RateLimitsSchema,
    cors: Type.Optional(CorsSchema),
    purgeOn: Type.Optional(PurgeOnSchema),
  },
  strict,
);

export type UpstreamSpec = Static<typeof UpstreamSchema>;
export type HeaderOps = Static<typeof HeaderOpsSchema>;
export type BodyOps = Static<typeof BodyOpsSchema>;
export type Transform = Static<typeof TransformSchema>;
export type AuthRule = Static<typeof AuthRuleSchema>;
export type RouteCacheSettings = Static<typeof RouteCacheSchema>;
export type RouteSpec = Static<typeof RouteSchema>;
export type Bucket = Static<typeof BucketSchema>;
export type RateLimitSettings = Static<typeof RateLimitsSchema>;
export type CorsSettings = Static<typeof CorsSchema>;
export type RouteTableFile = Static<typeof RouteTableFileSchema>;
