import type { Queryable } from './db.ts';

export interface Category {
  slug: string;
  name: string;
  description: string;
  /** Active products in the category. */
  productCount: number;
}

export async function listCategories(db: Queryable): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `SELECT c.slug, c.name, c.description, count(p.id)::int AS "productCount"
       FROM categories c
       LEFT JOIN products p ON p.category = c.slug AND p.active
      GROUP BY c.slug
      ORDER BY c.position, c.name`,
  );
  return rows;
}

export async function insertCategory(
  db: Queryable,
  c: { slug: string; name: string; description: string; position: number },
): Promise<void> {
  await db.query(
    `INSERT INTO categories (slug, name, description, position) VALUES ($1, $2, $3, $4)
     ON CONFLICT (slug) DO NOTHING`,
    [c.slug, c.name, c.description, c.position],
  );
}
