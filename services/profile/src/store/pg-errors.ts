// Constraint violations that are the client's doing, turned into problems (4xx) so nothing a
// client sends surfaces as a 500. The schemas and the domain refuse all of these first.
import { type AppError, commonErrors } from '@shopnow/chassis';
import { fieldError } from '../errors.ts';

const CHECK_VIOLATION = '23514';
// Text Postgres cannot store (U+0000); the schemas refuse it first.
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

export function constraintError(err: unknown): AppError | undefined {
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

/** Runs a write, rethrowing client-caused constraint violations as problems. */
export async function translatingConstraints<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw constraintError(err) ?? err;
  }
}
