// Demo reviews: a deterministic handful per product, mostly positive like real shops.
import { createHash } from 'node:crypto';
import { stableUuid } from './stable-uuid.ts';

export interface SeedReview {
  id: string;
  userId: string;
  rating: number;
  title: string;
  body: string;
}

const SEED_USERS = 24;

const WORDS: Record<number, Array<[title: string, body: string]>> = {
  5: [
    ['Exactly what I hoped for', 'Well made and works perfectly. Would buy again.'],
    ['Love it', 'Great quality for the price, and it arrived quickly.'],
    ['Five stars', 'Does everything the description says and more.'],
  ],
  4: [
    ['Very good', 'Solid and reliable; one or two small things could be better.'],
    ['Happy with it', 'Good value. The packaging could have been lighter.'],
  ],
  3: [['It is fine', 'Does the job, nothing special. Expected a bit more.']],
  2: [['Not great', 'Had some issues out of the box; support helped eventually.']],
  1: [['Disappointed', 'Stopped working after a week. Returned it.']],
};

// Mostly fours and fives, sometimes worse: index into this with a hash byte.
const RATING_TABLE = [5, 5, 5, 5, 4, 4, 4, 3, 5, 4, 2, 5, 4, 1, 5, 4];

/** Reviews for the product with this SKU: 0 to 6 of them, by distinct users. */
export function seedReviewsFor(sku: string): SeedReview[] {
  const digest = createHash('sha256').update(`reviews:${sku}`).digest();
  const count = digest[0]! % 7;
  const firstUser = digest[1]! % SEED_USERS;
  return Array.from({ length: count }, (_, i) => {
    const rating = RATING_TABLE[digest[2 + i]! % RATING_TABLE.length]!;
    const options = WORDS[rating]!;
    const [title, body] = options[digest[10 + i]! % options.length]!;
    const user = (firstUser + i * 5) % SEED_USERS;
    return {
      id: stableUuid(`review:${sku}:${i}`),
      userId: stableUuid(`seed-user:${user}`),
      rating,
      title,
      body,
    };
  });
}
