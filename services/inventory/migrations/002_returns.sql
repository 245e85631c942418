-- Returns: a customer may cancel a confirmed order until shipping dispatches it, so units already
-- sold go back to available. A 'return' movement is one more movement between columns (sold →
-- available, summing to zero, for an order), and the reservation ends 'returned' (with the
-- cancellation's reason), which tells a redelivered cancellation that there is nothing left to give.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check
  CHECK (kind IN ('initial', 'restock', 'adjustment', 'reservation', 'release', 'commit', 'expiry', 'return'));

-- The shape of each kind; a return only ever moves sold units back to available.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_check CHECK (
  CASE kind
    WHEN 'initial' THEN delta_available >= 0 AND delta_reserved = 0 AND delta_sold = 0
    WHEN 'restock' THEN delta_available > 0 AND delta_reserved = 0 AND delta_sold = 0
    WHEN 'adjustment' THEN delta_available <> 0 AND delta_reserved = 0 AND delta_sold = 0 AND reason IS NOT NULL
    WHEN 'return' THEN delta_available > 0 AND delta_reserved = 0 AND delta_sold = -delta_available
      AND order_id IS NOT NULL
    ELSE delta_available + delta_reserved + delta_sold = 0 AND order_id IS NOT NULL
  END
);

ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('active', 'committed', 'released', 'expired', 'rejected', 'returned'));
