// Back in stock: each customer who asked about the product gets one message, and their alert is
// removed in the same transaction (a redelivered event finds no alerts left, and the message's
// key would refuse a second one anyway).
import type { EventEnvelope } from '@shopnow/contracts';
import type { Queryable } from '../store/db.ts';
import { takeAlerts } from '../store/stock-alerts.ts';
import { enqueue } from './enqueue.ts';

export interface BackInStockParams {
  productId: string;
  sku: string;
  name: string;
}

export async function backInStockMessages(
  tx: Queryable,
  event: EventEnvelope<{ productId: string }>,
): Promise<void> {
  const alerts = await takeAlerts(tx, event.data.productId);
  for (const alert of alerts) {
    const params: BackInStockParams = { productId: alert.productId, sku: alert.sku, name: alert.productName };
    await enqueue(tx, event, 'back_in_stock', { userId: alert.userId, email: null }, { params });
  }
}
