// Sales tax / VAT by destination country (ISO 3166-1 alpha-2), in basis points (1% = 100): the
// standard rates of the countries the shop ships to most. A simplification documented in
// docs/checkout.md: one rate per country, no regional or per-category rates; a country not
// listed is not taxed (export).
const RATES: Readonly<Record<string, number>> = {
  AT: 2000,
  BE: 2100,
  CH: 810,
  DE: 1900,
  DK: 2500,
  ES: 2100,
  FI: 2550,
  FR: 2000,
  GB: 2000,
  IE: 2300,
  IT: 2200,
  NL: 2100,
  NO: 2500,
  PL: 2300,
  PT: 2300,
  SE: 2500,
  // The US has no federal sales tax; state rates need the state, which v1 does not use.
  US: 0,
  CA: 500,
  AU: 1000,
  NZ: 1500,
  JP: 1000,
};

export function taxRateBasisPoints(country: string): number {
  return RATES[country.toUpperCase()] ?? 0;
}
