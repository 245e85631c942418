// The card processor sandbox as a test sees it from outside: the browser's part (tokenize a card
// with the publishable key) and the auditor's (the ledger and the fault switches, secret key).
// It is not behind the gateway: it stands in for an outside company's API.
import { apiClient } from './api-client.ts';

export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
} as const;

export interface Charge {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: 'succeeded' | 'failed';
  refunded: boolean;
  customer: string | null;
  metadata: Record<string, string>;
  createdAt: string;
}

export interface CardToken {
  id: string;
  status: 'active' | 'expired' | 'used';
  customer: string | null;
  expiresAt: string;
}

export interface Faults {
  latencyMs: number;
  errorRate: number;
  down: boolean;
}

export interface CardProcessor {
  url: string;
  /** A token for `number` made for `customer` (a ShopNow user id), as the checkout page gets one. */
  tokenize(number: string, customer: string | undefined): Promise<string>;
  token(id: string): Promise<CardToken>;
  /** Every charge the ledger holds for an order (metadata.orderId), newest first. */
  charges(filter: { orderId?: string; customer?: string }): Promise<Charge[]>;
  setFaults(faults: Faults): Promise<void>;
  /** Back to the environment's settings (run-time faults survive restarts otherwise). */
  resetFaults(): Promise<void>;
}

export function cardProcessor(
  url: string,
  keys: { secretKey: string; publishableKey: string },
): CardProcessor {
  const call = apiClient(url);
  const secret = { token: keys.secretKey };
  const expect = <T>(what: string, res: { status: number; text: string; body: T }, status: number): T => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
    return res.body;
  };
  return {
    url,
    async tokenize(number, customer) {
      const res = await call<{ id: string }>('POST', '/v1/tokens', {
        token: keys.publishableKey,
        body: {
          card: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123' },
          ...(customer !== undefined ? { customer } : {}),
        },
      });
      return expect('tokenize', res, 201).id;
    },
    async token(id) {
      return expect('token', await call<CardToken>('GET', `/v1/tokens/${id}`, secret), 200);
    },
    async charges(filter) {
      const items: Charge[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '100', ...filter, ...(cursor ? { cursor } : {}) });
        const page: { items: Charge[]; nextCursor: string | null } = expect(
          'charges',
          await call<{ items: Charge[]; nextCursor: string | null }>('GET', `/v1/charges?${query}`, secret),
          200,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
    async setFaults(faults) {
      expect('faults', await call('PUT', '/v1/sandbox/faults', { ...secret, body: faults }), 200);
    },
    async resetFaults() {
      expect('faults reset', await call('DELETE', '/v1/sandbox/faults', secret), 200);
    },
  };
}

/** Money an order's charges moved: captured minus refunded, over its succeeded charges. */
export function netCharged(charges: Charge[]): number {
  return charges
    .filter((c) => c.status === 'succeeded')
    .reduce((sum, c) => sum + c.amount - c.amountRefunded, 0);
}
