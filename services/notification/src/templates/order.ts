// Order messages: placed, confirmed (order number, lines, totals, address; English and German),
// cancelled (why, and whether money comes back), refunded.
import type {
  EventData,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  PaymentRefundedV1,
} from '@shopnow/contracts';
import { formatMoney } from '@shopnow/contracts';
import { html } from '../domain/escape.ts';
import { orderNumber } from '../domain/format.ts';
import { button, page } from './layout.ts';
import { addressHtml, addressText, linesHtml, linesText } from './order-parts.ts';
import type { Template } from './types.ts';

export const orderPlaced: Template<EventData<typeof OrderPlacedV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    return page(
      {
        language: 'en',
        subject: `We received your order ${number}`,
        body: html`<p>Thank you: we received your order <strong>${number}</strong> and are checking stock and payment. You will hear from us again when it is confirmed.</p>
${linesHtml(p.lines, p, ctx.locale, 'en')}
${button(link, 'View your order')}`,
        text: `Thank you: we received your order ${number} and are checking stock and payment. You will hear from us again when it is confirmed.\n\n${linesText(p.lines, p, ctx.locale, 'en')}\n\nYour order: ${link}`,
        inbox: {
          title: `Order ${number} received`,
          body: `Total ${formatMoney(p.total, ctx.locale)}; confirmation follows.`,
          link,
        },
      },
      ctx,
    );
  },
};

export const orderConfirmed: Template<EventData<typeof OrderConfirmedV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    return page(
      {
        language: 'en',
        subject: `Your order ${number} is confirmed`,
        body: html`<p>Your order <strong>${number}</strong> is confirmed and paid. We will tell you when it ships.</p>
${linesHtml(p.lines, p, ctx.locale, 'en')}
<h3>Shipping to</h3>
${addressHtml(p.shippingAddress)}
${button(link, 'View your order')}
<p style="color: #777; font-size: 12px">Order reference ${p.orderId}</p>`,
        text: `Your order ${number} is confirmed and paid. We will tell you when it ships.\n\n${linesText(p.lines, p, ctx.locale, 'en')}\n\nShipping to:\n${addressText(p.shippingAddress)}\n\nYour order: ${link}\nOrder reference ${p.orderId}`,
        inbox: {
          title: `Order ${number} confirmed`,
          body: `Paid ${formatMoney(p.total, ctx.locale)}; shipping to ${p.shippingAddress.city}.`,
          link,
        },
      },
      ctx,
    );
  },
  de: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    return page(
      {
        language: 'de',
        subject: `Ihre Bestellung ${number} ist bestätigt`,
        body: html`<p>Ihre Bestellung <strong>${number}</strong> ist bestätigt und bezahlt. Wir melden uns, sobald sie versandt wird.</p>
${linesHtml(p.lines, p, ctx.locale, 'de')}
<h3>Lieferadresse</h3>
${addressHtml(p.shippingAddress)}
${button(link, 'Bestellung ansehen')}
<p style="color: #777; font-size: 12px">Bestellreferenz ${p.orderId}</p>`,
        text: `Ihre Bestellung ${number} ist bestätigt und bezahlt. Wir melden uns, sobald sie versandt wird.\n\n${linesText(p.lines, p, ctx.locale, 'de')}\n\nLieferadresse:\n${addressText(p.shippingAddress)}\n\nIhre Bestellung: ${link}\nBestellreferenz ${p.orderId}`,
        inbox: {
          title: `Bestellung ${number} bestätigt`,
          body: `Bezahlt ${formatMoney(p.total, ctx.locale)}; Lieferung nach ${p.shippingAddress.city}.`,
          link,
        },
      },
      ctx,
    );
  },
};

/** Why an order was cancelled, in the customer's words; unknown codes read alike. */
const CANCEL_REASONS: Record<string, string> = {
  out_of_stock: 'some of its items were out of stock',
  payment_declined: 'the payment was declined',
  customer_request: 'you asked us to cancel it',
  reservation_expired: 'it was not paid in time',
};

export const orderCancelled: Template<EventData<typeof OrderCancelledV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    const why = CANCEL_REASONS[p.reason] ?? 'it could not be completed';
    const money = p.refunded
      ? 'Your payment will be refunded in full; we will email you when the refund is made.'
      : 'You were not charged.';
    return page(
      {
        language: 'en',
        subject: `Your order ${number} was cancelled`,
        body: html`<p>Your order <strong>${number}</strong> was cancelled because ${why}.</p>
<p>${money}</p>
${button(link, 'View your order')}`,
        text: `Your order ${number} was cancelled because ${why}.\n\n${money}\n\nYour order: ${link}`,
        inbox: { title: `Order ${number} cancelled`, body: `Cancelled because ${why}. ${money}`, link },
      },
      ctx,
    );
  },
};

export const orderRefunded: Template<EventData<typeof PaymentRefundedV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    const amount = formatMoney(p.amount, ctx.locale);
    return page(
      {
        language: 'en',
        subject: `Refund of ${amount} for order ${number}`,
        body: html`<p>We refunded <strong>${amount}</strong> for your order <strong>${number}</strong> to the card you paid with. Depending on your bank it shows within a few days.</p>
${button(link, 'View your order')}`,
        text: `We refunded ${amount} for your order ${number} to the card you paid with. Depending on your bank it shows within a few days.\n\nYour order: ${link}`,
        inbox: { title: `Refund for order ${number}`, body: `${amount} refunded to your card.`, link },
      },
      ctx,
    );
  },
};
