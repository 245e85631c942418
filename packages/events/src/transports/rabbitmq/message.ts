// How a delivery's bytes and headers map to the transport contract.
import type { AsyncMessage } from 'rabbitmq-client';

/** Attempts already made before this delivery (absent: none, so this is attempt 1). */
export const ATTEMPT_HEADER = 'x-shopnow-attempt';
/** Epoch ms before which a delayed message must not reach the handler (delays beyond the longest tier). */
export const DUE_HEADER = 'x-shopnow-due';

export type Headers = Record<string, unknown>;

/** Delivery.attempt: the header + 1, or 1 without a usable header. */
export function attemptOf(headers: Headers | undefined): number {
  const made = Number(headers?.[ATTEMPT_HEADER]);
  return Number.isInteger(made) && made >= 0 ? made + 1 : 1;
}

export function dueOf(headers: Headers | undefined): number | undefined {
  const due = Number(headers?.[DUE_HEADER]);
  return Number.isFinite(due) && due > 0 ? due : undefined;
}

/**
 * The payload as it arrived: JSON text or bytes. rabbitmq-client decodes a body whose content type
 * is `application/json` (and hands over the bytes when that fails, e.g. `not json`); it is turned
 * back into text here, which for JSON written by JSON.stringify (every envelope) is the same text.
 * `text/plain` arrives as a string, anything else as a Buffer.
 */
export function payloadOf(message: AsyncMessage): Buffer | string {
  const body: unknown = message.body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    return message.contentType === 'application/json' && !message.contentEncoding && typeof body === 'string'
      ? JSON.stringify(body) // a JSON string literal, decoded by the client
      : body;
  }
  return JSON.stringify(body) ?? String(body);
}

/** The body to republish a delivery with (a retry or a further hop): the bytes as they arrived. */
export function bodyBytesOf(message: AsyncMessage): Buffer {
  const payload = payloadOf(message);
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
}

// Headers the broker adds when it dead-letters; a republished message starts without them, or the
// broker's cycle detection could take a later expiry for a dead-letter loop and drop the message.
const BROKER_HEADER = /^x-(death|first-death-|last-death-|delivery-count)/;

/** The delivery's own headers (without the broker's dead-lettering history) plus `extra`. */
export function republishHeaders(message: AsyncMessage, extra: Headers): Headers {
  const headers: Headers = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    if (!BROKER_HEADER.test(key)) headers[key] = value;
  }
  return { ...headers, ...extra };
}
