// A change the cart's rules refuse. The HTTP layer maps each code to a problem (errors.ts).
export type CartRule =
  | 'cart.too_many_lines'
  | 'cart.quantity_limit'
  | 'cart.currency_mismatch'
  | 'cart.line_not_found'
  | 'cart.idempotency_key_reused';

export class CartRuleError extends Error {
  readonly rule: CartRule;

  constructor(rule: CartRule, message: string) {
    super(message);
    this.name = 'CartRuleError';
    this.rule = rule;
  }
}
