// Reviews list newest first, paged by (created_at, id).
import { decodeCursor, encodeCursor, isInstantValue, isUuidValue } from './cursor.ts';

export interface ReviewKey {
  createdAt: string;
  id: string;
}

export function encodeReviewCursor(key: ReviewKey): string {
  return encodeCursor('reviews', [key.createdAt, key.id]);
}

export function decodeReviewCursor(text: string): ReviewKey | undefined {
  const values = decodeCursor(
    text,
    'reviews',
    (v) => v.length === 2 && isInstantValue(v[0]) && isUuidValue(v[1]),
  );
  return values && { createdAt: values[0] as string, id: values[1] as string };
}
