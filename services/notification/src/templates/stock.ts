// Back in stock: the product a customer asked about is available again (English and German).
import { html } from '../domain/escape.ts';
import type { BackInStockParams } from '../intake/stock.ts';
import { button, page } from './layout.ts';
import type { Template } from './types.ts';

export const backInStock: Template<BackInStockParams> = {
  en: (p, ctx) => {
    const link = ctx.links.product(p.productId);
    return page(
      {
        language: 'en',
        subject: `${p.name} is back in stock`,
        body: html`<p>Good news: <strong>${p.name}</strong>, which you asked about, is available again. Stock can go quickly.</p>
${button(link, 'See the product')}`,
        text: `Good news: ${p.name}, which you asked about, is available again. Stock can go quickly.\n\nSee the product: ${link}`,
        inbox: { title: `${p.name} is back in stock`, body: 'It is available again.', link },
      },
      ctx,
    );
  },
  de: (p, ctx) => {
    const link = ctx.links.product(p.productId);
    return page(
      {
        language: 'de',
        subject: `${p.name} ist wieder verfügbar`,
        body: html`<p>Gute Nachricht: <strong>${p.name}</strong>, wonach Sie gefragt haben, ist wieder verfügbar. Der Vorrat kann schnell vergriffen sein.</p>
${button(link, 'Zum Produkt')}`,
        text: `Gute Nachricht: ${p.name}, wonach Sie gefragt haben, ist wieder verfügbar. Der Vorrat kann schnell vergriffen sein.\n\nZum Produkt: ${link}`,
        inbox: { title: `${p.name} ist wieder verfügbar`, body: 'Es ist wieder verfügbar.', link },
      },
      ctx,
    );
  },
};
