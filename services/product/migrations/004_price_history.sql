-- A projection built from product.price_changed.v1 events (consumer group product.price-history):
-- every price a product has had, for the "price history" view and audits.
create table price_history (
  event_id           uuid        primary key,
  product_id         uuid        not null,
  old_amount_minor   bigint      not null,
  old_currency       text        not null,
  new_amount_minor   bigint      not null,
  new_currency       text        not null,
  changed_at         timestamptz not null
);
create index price_history_by_product on price_history (product_id, changed_at desc, event_id);
