// What a cart may hold. The same bounds as an order's (contracts: MAX_ORDER_LINES,
// MAX_LINE_QUANTITY, repeated here because the domain imports nothing), so a cart never holds what
// checkout would refuse; test/domain.test.ts checks they agree.
export const MAX_CART_LINES = 100;
export const MAX_LINE_QUANTITY = 1000;
export const MIN_LINE_QUANTITY = 1;
/** A cart nobody changed for this long is deleted (CART_IDLE_DAYS overrides it). */
export const DEFAULT_IDLE_DAYS = 30;
export const DAY_MS = 86_400_000;
