-- Back-in-stock alerts: a customer asks to hear when a product is available again. One row per
-- customer and product; inventory.back_in_stock.v1 turns each into one message and removes it
-- (an alert is for the next return, not forever). The product's SKU and name are kept from when
-- it was asked for, for the list and the message.
CREATE TABLE stock_alerts (
  user_id      uuid NOT NULL,
  product_id   uuid NOT NULL,
  sku          text NOT NULL,
  product_name text NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);
CREATE INDEX stock_alerts_product_idx ON stock_alerts (product_id);

-- Alerts are a category of their own: asked for by the customer, so sent without marketing consent.
ALTER TABLE messages DROP CONSTRAINT messages_category_check;
ALTER TABLE messages ADD CONSTRAINT messages_category_check
  CHECK (category IN ('account', 'order', 'shipping', 'marketing', 'alert'));
