-- Back in stock: a SKU whose available stock reached 0 is marked sold out; the first movement that
-- makes units available again (while the product is on sale) sends inventory.back_in_stock.v1 and
-- clears the mark, so customers waiting for it hear once per return, not on every restock.
ALTER TABLE stock ADD COLUMN sold_out boolean NOT NULL DEFAULT false;
UPDATE stock SET sold_out = (available = 0);
