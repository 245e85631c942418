// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and fast
// serialisation from one definition. Every object refuses unknown properties.
import { Type } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/paging.ts';
import {
  LOCAL_IMAGE_URL_PATTERN,
  MAX_ATTRIBUTES,
  MAX_DESCRIPTION_LENGTH,
  MAX_IMAGES,
  MAX_NAME_LENGTH,
} from '../domain/product.ts';
import { DEFAULT_PRODUCT_SORT, PRODUCT_SORTS } from '../domain/product-sort.ts';
import { MAX_RATING, MIN_RATING } from '../domain/rating.ts';
import { MAX_QUERY_LENGTH } from '../domain/search-query.ts';
import { SKU_PATTERN } from '../domain/sku.ts';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '../domain/slug.ts';

const strict = { additionalProperties: false } as const;

// Postgres text and jsonb cannot hold U+0000: refuse it here, naming the field, not as a 500.
const NO_NUL = '^[^\\u0000]*$';
/** Free text of at most `maxLength` characters. */
const Text = (maxLength: number) => Type.String({ maxLength, pattern: NO_NUL });

// ---- building blocks ----
export const Uuid = Type.String({ format: 'uuid' });
export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: MAX_SLUG_LENGTH });
const Sku = Type.String({ pattern: SKU_PATTERN, description: 'Stored upper-case' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' });
const AmountMinor = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Minor units (cents): 12999 is 129.99 USD',
});
const Timestamp = Type.String({ format: 'date-time' });

export const Money = Type.Object({ amountMinor: AmountMinor, currency: Currency }, strict);
const MoneyChanges = Type.Object(
  { amountMinor: Type.Optional(AmountMinor), currency: Type.Optional(Currency) },
  { ...strict, minProperties: 1 },
);
const Image = Type.Object(
  {
    url: Type.String({ pattern: LOCAL_IMAGE_URL_PATTERN, description: 'A path on this service' }),
    alt: Text(200),
  },
  strict,
);
const Images = Type.Array(Image, { maxItems: MAX_IMAGES });
const Attributes = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
  Type.Union([Text(500), Type.Number(), Type.Boolean()]),
  { ...strict, maxProperties: MAX_ATTRIBUTES },
);
// Blank names are refused by the domain (prepareNewProduct): a linear check, no regex backtracking.
const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: NO_NUL });
const Description = Text(MAX_DESCRIPTION_LENGTH);
const CategorySlug = Type.String({ pattern: SLUG_PATTERN, maxLength: 64 });

// ---- resources ----
export const Product = Type.Object(
  {
    id: Uuid,
    sku: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    category: Type.String(),
    price: Money,
    images: Type.Array(Image),
    attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    active: Type.Boolean(),
    rating: Type.Object({ average: Type.Number(), count: Type.Integer() }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { description: 'A catalog product' },
);

export const ProductPage = Type.Object({
  items: Type.Array(Product),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const SearchResult = Type.Object({
  items: Type.Array(Product),
  strategy: Type.Union([Type.Literal('fulltext'), Type.Literal('fuzzy'), Type.Literal('fulltext+fuzzy')], {
    description:
      'fulltext: ranked word matches; fuzzy: trigram similarity (typos); both: few word matches, topped up',
  }),
});

export const Category = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  productCount: Type.Integer(),
});
export const CategoryList = Type.Object({ items: Type.Array(Category) });

export const Review = Type.Object({
  id: Uuid,
  productId: Uuid,
  userId: Uuid,
  rating: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  createdAt: Timestamp,
});
export const ReviewPage = Type.Object({
  items: Type.Array(Review),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const ReviewCreated = Type.Object({
  review: Review,
  rating: Type.Object({ average: Type.Number(), count: Type.Integer() }),
});

// ---- requests ----
const Limit = Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE });
const Cursor = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'Opaque: nextCursor of the previous page',
});

export const IdParams = Type.Object({ id: Uuid }, strict);
export const SlugParams = Type.Object({ slug: Slug }, strict);

export const ListProductsQuery = Type.Object(
  {
    category: Type.Optional(CategorySlug),
    minPrice: Type.Optional(AmountMinor),
    maxPrice: Type.Optional(AmountMinor),
    currency: Type.Optional(Currency),
    sort: Type.Optional(Type.Enum(PRODUCT_SORTS, { default: DEFAULT_PRODUCT_SORT })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  strict,
);

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH }),
    category: Type.Optional(CategorySlug),
    limit: Type.Optional(Limit),
  },
  strict,
);

/** For routes that take no query parameters: a typo is refused rather than ignored. */
export const NoQuery = Type.Object({}, strict);

export const PageQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }, strict);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._:~+/=-]{1,255}$',
      description: 'Repeat a write safely: same key, same result',
    }),
  ),
});

export const CreateProductBody = Type.Object(
  {
    sku: Sku,
    slug: Type.Optional(Slug),
    name: Name,
    description: Type.Optional(Description),
    category: CategorySlug,
    price: Money,
    images: Type.Optional(Images),
    attributes: Type.Optional(Attributes),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const UpdateProductBody = Type.Object(
  {
    sku: Type.Optional(Sku),
    slug: Type.Optional(Slug),
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    category: Type.Optional(CategorySlug),
    price: Type.Optional(MoneyChanges),
    images: Type.Optional(Images),
    attributes: Type.Optional(Attributes),
    active: Type.Optional(Type.Boolean()),
  },
  { ...strict, minProperties: 1 },
);

export const ChangePriceBody = Money;

export const CreateReviewBody = Type.Object(
  {
    rating: Type.Integer({ minimum: MIN_RATING, maximum: MAX_RATING }),
    title: Type.Optional(Text(200)),
    body: Type.Optional(Text(5000)),
  },
  strict,
);
