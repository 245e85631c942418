import { type Static, Type } from 'typebox';

/**
 * The envelope every event travels in: CloudEvents 1.0 attributes (`specversion`, `id`, `type`,
 * `source`, `time`, `subject`, `datacontenttype`) plus the W3C `traceparent` of the producer
 * (the CloudEvents distributed-tracing extension) and the typed `data`.
 */
export const EventEnvelopeSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    /** Unique per event; consumers deduplicate on it. */
    id: Type.String({ minLength: 1, maxLength: 100 }),
    /** Versioned name, `<domain>.<what_happened>.v<n>`, e.g. `product.price_changed.v1`. */
    type: Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.v[1-9][0-9]*$', maxLength: 200 }),
    /** The producing service, e.g. `product`. */
    source: Type.String({ minLength: 1, maxLength: 100 }),
    /** When the producer committed to the change (RFC 3339). */
    time: Type.String({ format: 'date-time' }),
    /** The aggregate the event is about (a product id); events of one subject are relayed in order. */
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    datacontenttype: Type.Literal('application/json'),
    traceparent: Type.Optional(
      Type.String({ pattern: '^[\\da-f]{2}-[\\da-f]{32}-[\\da-f]{16}-[\\da-f]{2}$' }),
    ),
    data: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type EventEnvelope<TData = unknown> = Omit<Static<typeof EventEnvelopeSchema>, 'data'> & {
  data: TData;
};

/** The domain of an event type: `product` for `product.price_changed.v1`. */
export function eventDomain(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}
