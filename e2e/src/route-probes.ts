// One request per gateway route (services/gateway/routes.json), chosen so that the service behind
// it answers: a 2xx, or its own 4xx for a deliberately empty body. A route without a probe here
// fails the end-to-end test, so every new route must say how it is reached.

/** `expendable`: a customer logged in afresh for this probe alone, whose session it may end. */
export type Caller = 'anonymous' | 'customer' | 'admin' | 'expendable';

export interface RouteProbe {
  method: string;
  path: string;
  as: Caller;
  /** Sent as JSON when present. */
  body?: unknown;
  /** The statuses the service itself gives this request. */
  expect: readonly number[];
}

export interface ProbeIds {
  productId: string;
  sku: string;
}

/** An id that exists nowhere: the service answers "not found", which proves it was reached. */
const NOBODY = '00000000-0000-4000-8000-000000000000';

export function routeProbes(ids: ProbeIds): Record<string, RouteProbe> {
  const invalid = (path: string, as: Caller = 'anonymous'): RouteProbe => ({
    method: 'POST',
    path,
    as,
    body: {},
    expect: [400],
  });
  const read = (path: string, as: Caller = 'anonymous'): RouteProbe => ({
    method: 'GET',
    path,
    as,
    expect: [200],
  });
  return {
    'product-reviews-write': invalid(`/api/products/${ids.productId}/reviews`, 'customer'),
    products: read(`/api/products/${ids.productId}`),
    categories: read('/api/categories'),
    'products-v1': read('/api/v1/products?limit=1'),
    'products-v2': read('/api/v2/products?limit=1'),
    'admin-products': {
      method: 'PUT',
      path: `/api/admin/products/${ids.productId}/price`,
      as: 'admin',
      body: {},
      expect: [400],
    },
    'auth-register': invalid('/api/auth/register'),
    'auth-login': invalid('/api/auth/login'),
    'auth-verify-email': invalid('/api/auth/verify-email'),
    'auth-password-reset': invalid('/api/auth/password-reset/request'),
    'auth-password-change': invalid('/api/auth/password/change', 'customer'),
    'auth-refresh': invalid('/api/auth/refresh'),
    'sessions-list': read('/api/sessions', 'customer'),
    'sessions-logout': { method: 'POST', path: '/api/sessions/logout', as: 'expendable', expect: [204] },
    'sessions-logout-all': {
      method: 'POST',
      path: '/api/sessions/logout-all',
      as: 'expendable',
      expect: [204],
    },
    'sessions-end': { method: 'DELETE', path: `/api/sessions/${NOBODY}`, as: 'customer', expect: [404] },
    'api-keys': read('/api/api-keys', 'customer'),
    jwks: read('/.well-known/jwks.json'),
    'admin-sessions-revoke': {
      method: 'POST',
      path: `/api/admin/users/${NOBODY}/sessions/revoke`,
      as: 'admin',
      body: {},
      expect: [200, 204, 404],
    },
    users: read('/api/users/me', 'customer'),
    'admin-users': read('/api/admin/users', 'admin'),
    profiles: read('/api/profiles/me/preferences', 'customer'),
    'inventory-availability': read(`/api/inventory/availability/${ids.sku}`),
    'admin-inventory-stock': read('/api/admin/inventory/stock', 'admin'),
    'admin-inventory-reservations': {
      method: 'GET',
      path: `/api/admin/inventory/reservations/${NOBODY}`,
      as: 'admin',
      expect: [404],
    },
    'cart-merge': invalid('/api/carts/me/merge', 'customer'),
    cart: read('/api/carts/me', 'customer'),
    'cart-create': { method: 'POST', path: '/api/carts', as: 'anonymous', expect: [201] },
    'orders-place': invalid('/api/orders', 'customer'),
    'orders-read': read('/api/orders', 'customer'),
    'orders-events': { method: 'GET', path: `/api/orders/${NOBODY}/events`, as: 'customer', expect: [404] },
    'orders-cancel': { method: 'POST', path: `/api/orders/${NOBODY}/cancel`, as: 'customer', expect: [404] },
    'admin-orders': read('/api/admin/orders', 'admin'),
    'admin-payments': read('/api/admin/payments', 'admin'),
    tracking: { method: 'GET', path: '/api/tracking/SN0000000000000000', as: 'anonymous', expect: [404] },
    'shipments-read': read('/api/shipments', 'customer'),
    'admin-shipments-read': read('/api/admin/shipments', 'admin'),
    'admin-shipments-advance': {
      method: 'POST',
      path: `/api/admin/shipments/${NOBODY}/advance`,
      as: 'admin',
      body: {},
      expect: [404],
    },
    'admin-shipments-exception': invalid(`/api/admin/shipments/${NOBODY}/exception`, 'admin'),
    inbox: read('/api/inbox', 'customer'),
    'stock-alerts': read('/api/stock-alerts', 'customer'),
    'admin-messages': read('/api/admin/messages/dead', 'admin'),
    'admin-promotions': invalid('/api/admin/promotions', 'admin'),
    'admin-dead-letters-product': read('/api/admin/events/product/dead-letters', 'admin'),
    'admin-dead-letters-auth': read('/api/admin/events/auth/dead-letters', 'admin'),
    'admin-dead-letters-token': read('/api/admin/events/token/dead-letters', 'admin'),
    'admin-dead-letters-user': read('/api/admin/events/user/dead-letters', 'admin'),
    'admin-dead-letters-profile': read('/api/admin/events/profile/dead-letters', 'admin'),
    'admin-dead-letters-inventory': read('/api/admin/events/inventory/dead-letters', 'admin'),
    'admin-dead-letters-order': read('/api/admin/events/order/dead-letters', 'admin'),
    'admin-dead-letters-cart': read('/api/admin/events/cart/dead-letters', 'admin'),
    'admin-dead-letters-payment': read('/api/admin/events/payment/dead-letters', 'admin'),
    'admin-dead-letters-shipping': read('/api/admin/events/shipping/dead-letters', 'admin'),
    'admin-dead-letters-notification': read('/api/admin/events/notification/dead-letters', 'admin'),
  };
}
