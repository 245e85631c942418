// Marketing: a promotion an admin sends to every customer who opted in. The admin's text is
// escaped like any other value.
import { html } from '../domain/escape.ts';
import { page } from './layout.ts';
import type { Template } from './types.ts';

export interface PromotionParams {
  promotionId: string;
  headline: string;
  body: string;
  /** Where the promotion leads; the shop's home when absent. */
  link?: string | null | undefined;
}

export const promotion: Template<PromotionParams> = {
  en: (p, ctx) => {
    const link = p.link ?? ctx.links.home();
    const optOut = ctx.links.preferences();
    return page(
      {
        language: 'en',
        subject: p.headline,
        body: html`<h2>${p.headline}</h2>
<p>${p.body}</p>
<p><a href="${link}">${link}</a></p>
<p style="color: #777; font-size: 12px">You get offers because you asked for them. <a href="${optOut}">Stop them in your preferences.</a></p>`,
        text: `${p.headline}\n\n${p.body}\n\n${link}\n\nYou get offers because you asked for them. Stop them in your preferences: ${optOut}`,
        inbox: { title: p.headline, body: p.body, link },
      },
      ctx,
    );
  },
};
