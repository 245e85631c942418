// The product as the catalog knows it, and the rules its fields follow.
import type { Money } from './money.ts';

export type AttributeValue = string | number | boolean;

export interface ProductImage {
  /** A path on this service (never a remote URL): "/products/<id>/image.svg". */
  url: string;
  alt: string;
}

/** What an admin supplies to create a product; the rest is defaulted. */
export interface NewProduct {
  sku: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  images: ProductImage[];
  attributes: Record<string, AttributeValue>;
  active: boolean;
}

/** A stored product: what an admin supplied plus what the catalog keeps on it. */
export interface Product extends NewProduct {
  id: string;
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
}

/** A partial update: absent fields stay as they are. */
export type ProductChanges = Partial<Omit<NewProduct, 'price'>> & { price?: Partial<Money> };

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 5000;
export const MAX_ATTRIBUTES = 50;
export const MAX_IMAGES = 10;

/** Local image paths only (no "//host"): the catalog renders without reaching other hosts. */
export const LOCAL_IMAGE_URL_PATTERN = '^/[A-Za-z0-9._-][A-Za-z0-9/._-]{0,199}$';

/** The generated picture every product has, served by this service. */
export function generatedImageUrl(productId: string): string {
  return `/products/${productId}/image.svg`;
}

export function defaultImages(productId: string, name: string): ProductImage[] {
  return [{ url: generatedImageUrl(productId), alt: name }];
}
