// Every kind of message the service makes, and the category that decides who gets it and where
// (see delivery-plan.ts). A kind is also the name of its template.
export const CATEGORIES = ['account', 'order', 'shipping', 'marketing', 'alert'] as const;
export type Category = (typeof CATEGORIES)[number];

export const KINDS = {
  verify_email: 'account',
  password_reset: 'account',
  account_locked: 'account',
  registration_repeated: 'account',
  password_changed: 'account',
  new_device_signin: 'account',
  order_placed: 'order',
  order_confirmed: 'order',
  order_cancelled: 'order',
  order_refunded: 'order',
  shipment_scheduled: 'shipping',
  shipment_dispatched: 'shipping',
  shipment_delivered: 'shipping',
  promotion: 'marketing',
  back_in_stock: 'alert',
} as const satisfies Record<string, Category>;

export type Kind = keyof typeof KINDS;

export function categoryOf(kind: Kind): Category {
  return KINDS[kind];
}

/**
 * The message's unique key: one message per event, recipient and kind, so a redelivered event
 * (a new delivery of the same event id) finds its message already made.
 */
export function dedupeKey(eventId: string, recipient: string, kind: Kind): string {
  return `${eventId}|${recipient.toLowerCase()}|${kind}`;
}
