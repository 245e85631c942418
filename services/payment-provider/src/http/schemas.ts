// Request and response schemas (TypeBox → JSON Schema): shapes, types and lengths are checked
// here (400, naming the field); card rules (Luhn, expiry, CVC per brand) live in src/domain (422).
// Every request object refuses unknown properties.
import { Type } from 'typebox';
import { BRANDS } from '../domain/brand.ts';
import { MAX_LATENCY_MS } from '../domain/faults.ts';
import { idPattern } from '../domain/ids.ts';

const strict = { additionalProperties: false } as const;

// Postgres text cannot hold U+0000: refuse it here, naming the field, not as a 500.
const NO_NUL = '^[^\\u0000]*$';
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: NO_NUL, ...(description ? { description } : {}) });

const TokenId = Type.String({ pattern: idPattern('token'), description: 'tok_…' });
const ChargeId = Type.String({ pattern: idPattern('charge'), description: 'ch_…' });
const RefundId = Type.String({ pattern: idPattern('refund'), description: 're_…' });
const Timestamp = Type.String({ format: 'date-time' });
const Customer = Text(200, "An opaque reference to the merchant's customer, e.g. the shop's user id");
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Minor units (cents): at most 999,999.99 in a two-decimal currency. */
export const MAX_AMOUNT = 99_999_999;
const Amount = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'In minor units (cents), > 0' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, upper case, e.g. EUR' });

const Metadata = Type.Record(
  Type.String({ minLength: 1, maxLength: 40, pattern: NO_NUL }),
  Type.String({ maxLength: 500, pattern: NO_NUL }),
  {
    maxProperties: 20,
    description: 'Up to 20 string pairs kept with the object, e.g. {"orderId": "…"}',
  },
);

export const NoQuery = Type.Object({}, strict);

export const IdempotentHeaders = Type.Object({
  'idempotency-key': Type.String({
    pattern: '^[A-Za-z0-9._:~+/=-]{1,255}$',
    description: 'Required. Same key and same request: the first answer again; another request: 422',
  }),
});

export const Card = Type.Object({
  brand: Type.Enum(BRANDS),
  last4: Type.String(),
  expMonth: Type.Integer(),
  expYear: Type.Integer(),
});

// ---- tokens ----
export const CreateTokenBody = Type.Object(
  {
    card: Type.Object(
      {
        number: Type.String({
          minLength: 1,
          maxLength: 30,
          description: 'Digits; single spaces or dashes allowed',
        }),
        expMonth: Type.Integer(),
        expYear: Type.Integer({ description: 'Four digits' }),
        cvc: Type.String({ minLength: 1, maxLength: 4 }),
      },
      strict,
    ),
    customer: Type.Optional(Customer),
  },
  strict,
);

export const TokenParams = Type.Object({ id: TokenId }, strict);

export const TokenResponse = Type.Object({
  id: TokenId,
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('used')], {
    description: 'used: a charge with it succeeded (a token pays once)',
  }),
  card: Card,
  customer: NullableString,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  usedAt: Type.Union([Timestamp, Type.Null()]),
  charge: Type.Union([ChargeId, Type.Null()], { description: 'The succeeded charge that used it' }),
});

// ---- charges ----
export const CreateChargeBody = Type.Object(
  {
    amount: Amount,
    currency: Currency,
    token: TokenId,
    customer: Type.Optional(Customer),
    description: Type.Optional(Text(500)),
    metadata: Type.Optional(Metadata),
  },
  strict,
);

export const RefundResponse = Type.Object({
  id: RefundId,
  charge: ChargeId,
  amount: Type.Integer(),
  currency: Type.String(),
  status: Type.Literal('succeeded'),
  reason: NullableString,
  metadata: Type.Record(Type.String(), Type.String()),
  createdAt: Timestamp,
});

export const ChargeResponse = Type.Object({
  id: ChargeId,
  amount: Type.Integer(),
  amountRefunded: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  refunded: Type.Boolean({ description: 'Every cent refunded' }),
  failureCode: Type.Union([Type.Literal('card_declined'), Type.Literal('insufficient_funds'), Type.Null()]),
  customer: NullableString,
  description: NullableString,
  metadata: Type.Record(Type.String(), Type.String()),
  token: TokenId,
  card: Card,
  createdAt: Timestamp,
  refunds: Type.Array(RefundResponse),
});

export const ChargeParams = Type.Object({ id: ChargeId }, strict);

export const ChargeListQuery = Type.Object(
  {
    orderId: Type.Optional(Text(500, 'Charges whose metadata.orderId is this')),
    customer: Type.Optional(Customer),
    status: Type.Optional(Type.Union([Type.Literal('succeeded'), Type.Literal('failed')])),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
  },
  strict,
);

export const ChargeList = Type.Object({
  items: Type.Array(ChargeResponse),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});

/**
 * A declined charge's answer. Declared (not left to JSON.stringify) so that a replay, read back
 * from the database, is serialised in the same member order: byte for byte the first answer.
 */
export const DeclineProblem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String(),
    request_id: Type.String(),
    charge: ChargeId,
    declineCode: Type.Union([Type.Literal('card_declined'), Type.Literal('insufficient_funds')]),
  },
  { description: 'application/problem+json: the card was declined; the failed charge is in the ledger' },
);

// ---- refunds ----
export const CreateRefundBody = Type.Object(
  {
    charge: ChargeId,
    amount: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Default: what is left' }),
    ),
    reason: Type.Optional(Text(500)),
    metadata: Type.Optional(Metadata),
  },
  strict,
);

// ---- sandbox ----
export const FaultsBody = Type.Object(
  {
    latencyMs: Type.Integer({
      minimum: 0,
      maximum: MAX_LATENCY_MS,
      description: 'Added before every /v1 call',
    }),
    errorRate: Type.Number({ minimum: 0, maximum: 1, description: 'Share of /v1 calls answered 503' }),
    down: Type.Boolean({ description: 'Every /v1 call but these controls answers 503' }),
  },
  strict,
);

export const FaultsResponse = Type.Object({
  latencyMs: Type.Integer(),
  errorRate: Type.Number(),
  down: Type.Boolean(),
  source: Type.Union([Type.Literal('runtime'), Type.Literal('environment')], {
    description: 'runtime: set through this API (all replicas); environment: SANDBOX_* at start',
  }),
});
