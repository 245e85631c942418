import type { Delivery, OutgoingMessage } from '../../transport.ts';

/**
 * What this transport stores as a job's data: the envelope exactly as published (JSON text, not a
 * decoded value, so the runtime gets back the bytes the producer wrote, and a body jsonb could not
 * hold, such as `\u0000` in a string, still travels), the runtime's attempt number, and the routing
 * fields beside it for operators (`findJobs(queue, { data: { id } })`).
 */
export interface EventJobData {
  /** Format marker: data without it was not written by this transport. */
  v: 1;
  id?: string;
  type?: string;
  subject?: string;
  /** 1 for the first delivery; each retry the runtime asked for adds one. */
  attempt: number;
  /** The envelope as JSON text. */
  body: string;
}

export function jobDataFor(message: OutgoingMessage, attempt = 1): EventJobData {
  return { v: 1, id: message.id, type: message.type, subject: message.subject, attempt, body: message.body };
}

function isEventJobData(data: unknown): data is EventJobData {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<EventJobData>;
  return (
    candidate.v === 1 &&
    typeof candidate.body === 'string' &&
    Number.isInteger(candidate.attempt) &&
    (candidate.attempt ?? 0) >= 1
  );
}

/**
 * The delivery of a job: the envelope text and attempt for a job this transport wrote; for anything
 * else (a job inserted by hand), its data as pg-boss decoded it, as attempt 1, so the runtime can
 * dead-letter it instead of the worker failing on it.
 */
export function deliveryOf(data: unknown): Delivery {
  if (isEventJobData(data)) return { payload: data.body, attempt: data.attempt };
  return { payload: data ?? null, attempt: 1 };
}

/** The data of the job that retries `data` as `attempt`. */
export function retryDataOf(data: unknown, attempt: number): EventJobData {
  if (isEventJobData(data)) return { ...data, attempt };
  // A foreign job: carry its data as text, which is what the runtime would have read from it.
  return { v: 1, attempt, body: JSON.stringify(data ?? null) };
}
