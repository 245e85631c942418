// Which of a template's languages serves a BCP 47 locale: its language when the template has it
// ("de-AT" → "de"), else English. Numbers and dates still use the full locale.
export const DEFAULT_LANGUAGE = 'en';
/** Used to format numbers and dates when a locale is unknown or refused by Intl. */
export const DEFAULT_LOCALE = 'en';

export function templateLanguage(locale: string | undefined, available: readonly string[]): string {
  const language = locale?.split('-')[0]?.toLowerCase();
  return language !== undefined && available.includes(language) ? language : DEFAULT_LANGUAGE;
}

/** `locale` when Intl knows it, else DEFAULT_LOCALE (a stored preference is never trusted blindly). */
export function formattingLocale(locale: string | undefined): string {
  if (locale === undefined) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}
