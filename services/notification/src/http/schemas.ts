// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { Type } from 'typebox';
import type { Kind as MessageKind } from '../domain/message-kinds.ts';
import type { MessageStatus } from '../store/messages.ts';

const strict = { additionalProperties: false } as const;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
// Spelled out: a union mapped from a list would be typed `never`.
const Kind = Type.Union([
  Type.Literal('verify_email'),
  Type.Literal('password_reset'),
  Type.Literal('account_locked'),
  Type.Literal('registration_repeated'),
  Type.Literal('password_changed'),
  Type.Literal('new_device_signin'),
  Type.Literal('order_placed'),
  Type.Literal('order_confirmed'),
  Type.Literal('order_cancelled'),
  Type.Literal('order_refunded'),
  Type.Literal('shipment_scheduled'),
  Type.Literal('shipment_dispatched'),
  Type.Literal('shipment_delivered'),
  Type.Literal('promotion'),
  Type.Literal('back_in_stock'),
]) satisfies { anyOf: Array<{ const: MessageKind }> };
const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('stored'),
  Type.Literal('skipped'),
  Type.Literal('dead'),
]) satisfies { anyOf: Array<{ const: MessageStatus }> };
const Limit = Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE });
const CursorText = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'nextCursor of the previous page',
});
const NextCursor = Type.Union([Type.String(), Type.Null()]);

// ---- requests ----
export const IdParams = Type.Object({ id: Uuid }, strict);
export const NoQuery = Type.Object({}, strict);
export const InboxQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only unread items' })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(CursorText),
  },
  strict,
);
export const MailboxQuery = Type.Object(
  {
    to: Type.Optional(
      Type.String({ minLength: 3, maxLength: 254, description: 'only emails to this address' }),
    ),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(CursorText),
  },
  strict,
);
export const DeadQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(CursorText) },
  strict,
);
export const PromotionBody = Type.Object(
  {
    promotionId: Type.Optional(
      Type.String({ format: 'uuid', description: 'the same id again sends nothing twice' }),
    ),
    headline: Type.String({ minLength: 1, maxLength: 150 }),
    body: Type.String({ minLength: 1, maxLength: 4000 }),
    link: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
  },
  strict,
);

// ---- responses ----
export const InboxItem = Type.Object({
  id: Uuid,
  kind: Kind,
  title: Type.String(),
  body: Type.String(),
  link: NullableText,
  createdAt: Timestamp,
  readAt: NullableTimestamp,
});
export const InboxPage = Type.Object({
  items: Type.Array(InboxItem),
  nextCursor: NextCursor,
  unreadCount: Type.Integer({ minimum: 0 }),
});
export const UnreadCount = Type.Object({ unreadCount: Type.Integer({ minimum: 0 }) });
export const Marked = Type.Object({ marked: Type.Integer({ minimum: 0 }) });

export const MessageSummary = Type.Object({
  id: Uuid,
  kind: Kind,
  category: Type.String(),
  userId: Type.Union([Uuid, Type.Null()]),
  to: NullableText,
  subject: NullableText,
  status: Status,
  locale: NullableText,
  skipReason: NullableText,
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: NullableTimestamp,
  lastError: NullableText,
  sourceEventId: Type.String(),
  sourceEventType: Type.String(),
  sentAt: NullableTimestamp,
  deadAt: NullableTimestamp,
  createdAt: Timestamp,
});
export const MessagePage = Type.Object({ items: Type.Array(MessageSummary), nextCursor: NextCursor });
export const MessageDetail = Type.Object({
  ...MessageSummary.properties,
  html: NullableText,
  text: NullableText,
  smtpResponse: NullableText,
});
export const PromotionAccepted = Type.Object({ promotionId: Uuid, messages: Type.Integer({ minimum: 0 }) });

export const ProductIdParams = Type.Object({ productId: Uuid }, strict);

export const StockAlert = Type.Object(
  {
    productId: Uuid,
    sku: Type.String(),
    name: Type.String({ description: "The product's name when the alert was asked for" }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A back-in-stock alert: one message when the product is available again, then it is gone' },
);

export const StockAlertList = Type.Object({ items: Type.Array(StockAlert) });
