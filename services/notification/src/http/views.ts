// Stored rows → response bodies.
import type { InboxItem } from '../store/inbox-items.ts';
import type { Message } from '../store/messages.ts';
import type { StockAlert } from '../store/stock-alerts.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function inboxItemView(i: InboxItem) {
  return {
    id: i.id,
    kind: i.kind,
    title: i.title,
    body: i.body,
    link: i.link,
    createdAt: i.createdAt.toISOString(),
    readAt: iso(i.readAt),
  };
}

export function messageSummaryView(m: Message) {
  return {
    id: m.id,
    kind: m.kind,
    category: m.category,
    userId: m.userId,
    to: m.toEmail,
    subject: m.subject,
    status: m.status,
    locale: m.locale,
    skipReason: m.skipReason,
    attempts: m.attempts,
    nextAttemptAt: iso(m.nextAttemptAt),
    lastError: m.lastError,
    sourceEventId: m.sourceEventId,
    sourceEventType: m.sourceEventType,
    sentAt: iso(m.sentAt),
    deadAt: iso(m.deadAt),
    createdAt: m.createdAt.toISOString(),
  };
}

export function messageDetailView(m: Message) {
  return { ...messageSummaryView(m), html: m.html, text: m.text, smtpResponse: m.smtpResponse };
}

export function stockAlertView(a: StockAlert) {
  return { productId: a.productId, sku: a.sku, name: a.productName, createdAt: a.createdAt.toISOString() };
}
