// Locales are BCP 47 language tags limited to what a storefront uses: language, optional script,
// optional region, optional variants ("en-GB", "zh-Hant-TW", "de-CH-1996"). The pattern keeps
// out private-use and extension subtags; Intl.getCanonicalLocales then refuses what ICU does not
// accept and gives the canonical casing we store ("en-gb" → "en-GB").
export const MAX_LOCALE_LENGTH = 35;
export const LOCALE_PATTERN =
  '^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$';
export const DEFAULT_LOCALE = 'en-GB';

const LOCALE = new RegExp(LOCALE_PATTERN);

/** The canonical form of `tag`, or undefined when it is not a locale we accept. */
export function canonicalLocale(tag: string): string | undefined {
  if (tag.length > MAX_LOCALE_LENGTH || !LOCALE.test(tag)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical;
  } catch {
    return undefined; // RangeError: not a structurally valid language tag
  }
}
