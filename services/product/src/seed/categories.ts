// Demo categories, in display order.
export const SEED_CATEGORIES = [
  { slug: 'audio', name: 'Audio', description: 'Headphones, earbuds, speakers and turntables.' },
  {
    slug: 'computing',
    name: 'Computing',
    description: 'Keyboards, mice, monitors and everything on the desk.',
  },
  {
    slug: 'phones-wearables',
    name: 'Phones & Wearables',
    description: 'Chargers, cases, watches and trackers.',
  },
  { slug: 'home-kitchen', name: 'Home & Kitchen', description: 'Cookware, small appliances and bedding.' },
  { slug: 'sports-outdoors', name: 'Sports & Outdoors', description: 'Training gear, camping and cycling.' },
  { slug: 'books', name: 'Books', description: 'Fiction, cooking, nature and technical guides.' },
  {
    slug: 'toys-games',
    name: 'Toys & Games',
    description: 'Board games, puzzles and toys for curious kids.',
  },
  { slug: 'clothing', name: 'Clothing', description: 'Everyday layers, outerwear and accessories.' },
] as const;

export type SeedCategory = (typeof SEED_CATEGORIES)[number]['slug'];
