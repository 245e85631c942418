// Pieces of the order messages: the lines with totals, and the address, in HTML and text, with
// labels per language.
import type { OrderLine, ShippingAddress } from '@shopnow/contracts';
import { formatMoney, type Money } from '@shopnow/contracts';
import { html, type SafeHtml } from '../domain/escape.ts';

export interface Totals {
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
}

const LABELS = {
  en: {
    item: 'Item',
    qty: 'Qty',
    price: 'Price',
    subtotal: 'Subtotal',
    shipping: 'Shipping',
    tax: 'Tax',
    total: 'Total',
  },
  de: {
    item: 'Artikel',
    qty: 'Menge',
    price: 'Preis',
    subtotal: 'Zwischensumme',
    shipping: 'Versand',
    tax: 'MwSt.',
    total: 'Gesamt',
  },
} as const;

const lineTotal = (line: OrderLine): Money => ({
  amountMinor: line.unitPrice.amountMinor * line.quantity,
  currency: line.unitPrice.currency,
});

export function linesHtml(
  lines: readonly OrderLine[],
  totals: Totals,
  locale: string,
  language: 'en' | 'de',
): SafeHtml {
  const l = LABELS[language];
  const money = (m: Money) => formatMoney(m, locale);
  const row = (label: string, value: Money, strong = false) =>
    strong
      ? html`<tr><td colspan="2" style="text-align: right"><strong>${label}</strong></td><td style="text-align: right"><strong>${money(value)}</strong></td></tr>`
      : html`<tr><td colspan="2" style="text-align: right">${label}</td><td style="text-align: right">${money(value)}</td></tr>`;
  return html`<table style="border-collapse: collapse; width: 100%">
<thead><tr><th style="text-align: left">${l.item}</th><th style="text-align: right">${l.qty}</th><th style="text-align: right">${l.price}</th></tr></thead>
<tbody>
${lines.map((line) => html`<tr><td>${line.name} <small>(${line.sku})</small></td><td style="text-align: right">${line.quantity}</td><td style="text-align: right">${money(lineTotal(line))}</td></tr>\n`)}
</tbody>
<tfoot>
${row(l.subtotal, totals.subtotal)}
${row(l.shipping, totals.shipping)}
${row(l.tax, totals.tax)}
${row(l.total, totals.total, true)}
</tfoot>
</table>`;
}

export function linesText(
  lines: readonly OrderLine[],
  totals: Totals,
  locale: string,
  language: 'en' | 'de',
): string {
  const l = LABELS[language];
  const money = (m: Money) => formatMoney(m, locale);
  return [
    ...lines.map((line) => `${line.quantity} × ${line.name} (${line.sku})  ${money(lineTotal(line))}`),
    '',
    `${l.subtotal}: ${money(totals.subtotal)}`,
    `${l.shipping}: ${money(totals.shipping)}`,
    `${l.tax}: ${money(totals.tax)}`,
    `${l.total}: ${money(totals.total)}`,
  ].join('\n');
}

function addressLines(a: ShippingAddress): string[] {
  const cityLine = [a.postalCode, a.city].filter((part) => part !== null && part !== '').join(' ');
  return [
    a.recipientName,
    a.line1,
    a.line2,
    a.region === null ? cityLine : `${cityLine}, ${a.region}`,
    a.country,
  ].filter((line): line is string => line !== null && line !== '');
}

export function addressHtml(a: ShippingAddress): SafeHtml {
  return html`<p>${addressLines(a).map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`;
}

export function addressText(a: ShippingAddress): string {
  return addressLines(a).join('\n');
}
