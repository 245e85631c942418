// The links messages carry, all under the storefront's public address (WEB_BASE_URL): the pages
// that take a verification or reset token, an order, a product, a shipment's public tracking page.
export interface Links {
  verifyEmail(token: string): string;
  resetPassword(token: string): string;
  order(orderId: string): string;
  product(productId: string): string;
  tracking(trackingNumber: string): string;
  /** Where a password reset is asked for (no token yet). */
  forgotPassword(): string;
  preferences(): string;
  home(): string;
}

export function linksFor(baseUrl: string): Links {
  const base = baseUrl.replace(/\/+$/, '');
  const withToken = (path: string, token: string) => `${base}${path}?token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: (token) => withToken('/verify-email', token),
    resetPassword: (token) => withToken('/reset-password', token),
    order: (orderId) => `${base}/orders/${encodeURIComponent(orderId)}`,
    product: (productId) => `${base}/products/${encodeURIComponent(productId)}`,
    tracking: (trackingNumber) => `${base}/track/${encodeURIComponent(trackingNumber)}`,
    forgotPassword: () => `${base}/forgot-password`,
    preferences: () => `${base}/account/preferences`,
    home: () => `${base}/`,
  };
}
