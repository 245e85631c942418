// The frame around every email: a greeting, the message, a footer; the same in HTML and text.
import { html, type SafeHtml } from '../domain/escape.ts';
import type { RenderContext, Rendered } from './types.ts';

const GREETING: Record<string, (name: string | null) => string> = {
  en: (name) => (name ? `Hello ${name},` : 'Hello,'),
  de: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
};
const FOOTER: Record<string, string> = {
  en: 'ShopNow. You get this email because of your account or an order at ShopNow.',
  de: 'ShopNow. Sie erhalten diese E-Mail wegen Ihres Kontos oder einer Bestellung bei ShopNow.',
};

export interface Page {
  language: string;
  subject: string;
  /** The message's HTML between greeting and footer. */
  body: SafeHtml;
  /** The same in plain text. */
  text: string;
  inbox: Rendered['inbox'];
}

export function page(p: Page, ctx: RenderContext): Rendered {
  const greeting = (GREETING[p.language] ?? (GREETING.en as (n: string | null) => string))(ctx.name);
  const footer = FOOTER[p.language] ?? (FOOTER.en as string);
  const body = html`<!doctype html>
<html lang="${p.language}"><head><meta charset="utf-8"><title>${p.subject}</title></head>
<body style="font-family: sans-serif; color: #222; max-width: 640px; margin: 0 auto; padding: 16px">
<p>${greeting}</p>
${p.body}
<hr style="border: none; border-top: 1px solid #ddd; margin-top: 32px">
<p style="color: #777; font-size: 12px">${footer}</p>
</body></html>
`;
  return {
    subject: p.subject,
    html: body.safeHtml,
    text: `${greeting}\n\n${p.text.trim()}\n\n--\n${footer}\n`,
    inbox: p.inbox,
  };
}

/** A link drawn as a button in HTML. */
export function button(href: string, label: string): SafeHtml {
  return html`<p><a href="${href}" style="display: inline-block; padding: 10px 16px; background: #0a58ca; color: #fff; text-decoration: none; border-radius: 4px">${label}</a></p>`;
}
