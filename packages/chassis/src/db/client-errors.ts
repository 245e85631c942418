// Database errors that are the client's doing, turned into 4xx problems, so nothing a client
// sends surfaces as a 500. Request schemas and domain rules refuse these first; this is the
// backstop for what they could not see.
import { type AppError, commonErrors, fieldError } from '../errors.ts';

const CHECK_VIOLATION = '23514';
// Text Postgres cannot store (U+0000 in text or jsonb).
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/** A service's own mapping of an error (e.g. a unique constraint it knows), or undefined. */
export type DbErrorMapping = (err: unknown) => AppError | undefined;

/** The problem for an error any service's client can cause: unstorable text, a CHECK rule. */
export function clientDataError(err: unknown): AppError | undefined {
  const { code, constraint } = (err ?? {}) as { code?: string; constraint?: string };
  if (code !== undefined && UNSTORABLE_TEXT.has(code)) {
    return fieldError(
      commonErrors.validation_failed,
      'body',
      '/',
      'contains characters that cannot be stored',
    );
  }
  if (code === CHECK_VIOLATION) {
    return fieldError(
      commonErrors.validation_failed,
      'body',
      '/',
      `violates rule ${constraint ?? 'unknown'}`,
    );
  }
  return undefined;
}

/** Runs a write, rethrowing client-caused errors as problems: the service's mapping first. */
export async function translatingDbErrors<T>(write: () => Promise<T>, mapping?: DbErrorMapping): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw mapping?.(err) ?? clientDataError(err) ?? err;
  }
}
