-- Orders follow their shipment after confirmation: shipped (the parcel was dispatched) and
-- delivered. Neither waits for anything (no deadline) nor carries a cancel reason.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('pending', 'awaiting_payment', 'confirmed', 'shipped', 'delivered', 'cancelled'));
