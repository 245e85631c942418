// What a template gets and gives. A template is a small function per language; every value it
// puts into HTML goes through the `html` tag (domain/escape.ts), which escapes it.
import type { Links } from './links.ts';

export interface RenderContext {
  /** The recipient's locale for numbers and dates ("de-DE"); the template's language is picked from it. */
  locale: string;
  /** How the recipient is greeted; null when unknown. */
  name: string | null;
  links: Links;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
  /** The in-app inbox entry (used when the message goes there). */
  inbox: { title: string; body: string; link: string | null };
}

export type Render<P> = (params: P, ctx: RenderContext) => Rendered;

/** One template: English always, other languages where translated. */
export type Template<P> = { en: Render<P> } & Partial<Record<string, Render<P>>>;
