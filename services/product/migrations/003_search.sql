-- Search: weighted full-text (name A, category and attribute values B, description C)
-- with a GIN index, plus pg_trgm trigram indexes for the typo-tolerant fallback
-- ("wireles hedphones"). pg_trgm is a trusted extension: the database owner may create it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, name), 'A') ||
  setweight(to_tsvector('english'::regconfig, replace(category, '-', ' ')), 'B') ||
  setweight(jsonb_to_tsvector('english'::regconfig, attributes, '["string", "numeric"]'), 'B') ||
  setweight(to_tsvector('english'::regconfig, description), 'C')
) STORED;

CREATE INDEX products_search_idx ON products USING gin (search);

-- Everything a shopper might type, as plain text for trigram matching.
ALTER TABLE products ADD COLUMN search_text text GENERATED ALWAYS AS (
  name || ' ' || replace(category, '-', ' ') || ' ' ||
  jsonb_path_query_array(attributes, 'strict $.*')::text || ' ' || description
) STORED;

CREATE INDEX products_search_text_trgm_idx ON products USING gin (search_text gin_trgm_ops);
