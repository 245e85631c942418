-- Reviews: one per user per product; rating 1..5.
-- Until the identity issue lands, user_id comes from the X-User-ID header (see docs).

CREATE TABLE reviews (
  id         uuid PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL,
  rating     smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title      text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
  body       text NOT NULL DEFAULT '' CHECK (length(body) <= 5000),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT reviews_one_per_user UNIQUE (product_id, user_id)
);

-- Newest-first listing per product, keyset paged.
CREATE INDEX reviews_product_newest_idx ON reviews (product_id, created_at, id);
