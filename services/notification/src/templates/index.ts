// The template of every message kind, and rendering in the recipient's language (English when
// the template has no translation for it).
import { templateLanguage } from '../domain/locale.ts';
import type { Kind } from '../domain/message-kinds.ts';
import {
  accountLocked,
  newDeviceSignin,
  passwordChanged,
  passwordReset,
  registrationRepeated,
  verifyEmail,
} from './account.ts';
import { promotion } from './marketing.ts';
import { orderCancelled, orderConfirmed, orderPlaced, orderRefunded } from './order.ts';
import { shipmentDelivered, shipmentDispatched, shipmentScheduled } from './shipping.ts';
import { backInStock } from './stock.ts';
import type { RenderContext, Rendered, Template } from './types.ts';

// Each template is typed by its params where it is written; here they are looked up by kind with
// the params stored for the message.
// biome-ignore lint/suspicious/noExplicitAny: the params of a kind are checked where the message is made
const TEMPLATES: Record<Kind, Template<any>> = {
  verify_email: verifyEmail,
  password_reset: passwordReset,
  account_locked: accountLocked,
  registration_repeated: registrationRepeated,
  password_changed: passwordChanged,
  new_device_signin: newDeviceSignin,
  order_placed: orderPlaced,
  order_confirmed: orderConfirmed,
  order_cancelled: orderCancelled,
  order_refunded: orderRefunded,
  shipment_scheduled: shipmentScheduled,
  shipment_dispatched: shipmentDispatched,
  shipment_delivered: shipmentDelivered,
  promotion,
  back_in_stock: backInStock,
};

export function renderMessage(
  kind: Kind,
  params: unknown,
  ctx: RenderContext,
): Rendered & { language: string } {
  const template = TEMPLATES[kind];
  const language = templateLanguage(ctx.locale, Object.keys(template));
  const render = template[language] ?? template.en;
  return { ...render(params, ctx), language };
}

/** The languages each kind is written in (for the docs and tests). */
export function languagesOf(kind: Kind): string[] {
  return Object.keys(TEMPLATES[kind]);
}
