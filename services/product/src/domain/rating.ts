// Review ratings are whole stars 1..5; a product shows the average to two decimals.

export const MIN_RATING = 1;
export const MAX_RATING = 5;

export function isRating(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_RATING && value <= MAX_RATING;
}

export interface RatingSummary {
  average: number;
  count: number;
}

/** Average of `count` ratings adding up to `sum`, rounded half-up to 2 decimals; 0 when none. */
export function summariseRatings(sum: number, count: number): RatingSummary {
  if (count <= 0) return { average: 0, count: 0 };
  // Integer arithmetic first so 4.675 does not become 4.67 through binary floating point.
  const hundredths = Math.round((sum * 100) / count);
  return { average: hundredths / 100, count };
}
