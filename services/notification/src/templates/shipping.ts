// Shipping messages: scheduled (carrier, tracking number, expected day), dispatched, delivered.
// They carry the public tracking link; the parcel's place is city-level, as the events give it.
import type {
  EventData,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentScheduledV1,
} from '@shopnow/contracts';
import { html } from '../domain/escape.ts';
import { formatDay, formatInstant, orderNumber } from '../domain/format.ts';
import { button, page } from './layout.ts';
import type { Template } from './types.ts';

export const shipmentScheduled: Template<EventData<typeof ShipmentScheduledV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const track = ctx.links.tracking(p.trackingNumber);
    const day = formatDay(p.estimatedDelivery, ctx.locale);
    return page(
      {
        language: 'en',
        subject: `Your order ${number} will ship soon`,
        body: html`<p>We are preparing your order <strong>${number}</strong> for shipping with ${p.carrier} (${p.serviceLevel}) to ${p.destination.city}.</p>
<p>Expected delivery: <strong>${day}</strong>. Tracking number: <strong>${p.trackingNumber}</strong>.</p>
${button(track, 'Track your parcel')}`,
        text: `We are preparing your order ${number} for shipping with ${p.carrier} (${p.serviceLevel}) to ${p.destination.city}.\n\nExpected delivery: ${day}. Tracking number: ${p.trackingNumber}.\n\nTrack your parcel: ${track}`,
        inbox: { title: `Order ${number} will ship soon`, body: `Expected delivery ${day}.`, link: track },
      },
      ctx,
    );
  },
};

export const shipmentDispatched: Template<EventData<typeof ShipmentDispatchedV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const track = ctx.links.tracking(p.trackingNumber);
    return page(
      {
        language: 'en',
        subject: `Your order ${number} is on its way`,
        body: html`<p>Your order <strong>${number}</strong> left ${p.location.city} on ${formatInstant(p.dispatchedAt, ctx.locale)} (UTC). Tracking number: <strong>${p.trackingNumber}</strong>.</p>
${button(track, 'Track your parcel')}`,
        text: `Your order ${number} left ${p.location.city} on ${formatInstant(p.dispatchedAt, ctx.locale)} (UTC). Tracking number: ${p.trackingNumber}.\n\nTrack your parcel: ${track}`,
        inbox: {
          title: `Order ${number} is on its way`,
          body: `Tracking number ${p.trackingNumber}.`,
          link: track,
        },
      },
      ctx,
    );
  },
};

export const shipmentDelivered: Template<EventData<typeof ShipmentDeliveredV1>> = {
  en: (p, ctx) => {
    const number = orderNumber(p.orderId);
    const link = ctx.links.order(p.orderId);
    return page(
      {
        language: 'en',
        subject: `Your order ${number} was delivered`,
        body: html`<p>Your order <strong>${number}</strong> was delivered in ${p.location.city} on ${formatInstant(p.deliveredAt, ctx.locale)} (UTC). Enjoy!</p>
${button(link, 'View your order')}`,
        text: `Your order ${number} was delivered in ${p.location.city} on ${formatInstant(p.deliveredAt, ctx.locale)} (UTC). Enjoy!\n\nYour order: ${link}`,
        inbox: { title: `Order ${number} delivered`, body: `Delivered in ${p.location.city}.`, link },
      },
      ctx,
    );
  },
};
