// Tokens: a browser sends card data here (publishable key) and gets a token back; the merchant's
// server charges the token and never sees the card. The number and CVC go no further than the
// check below: the token keeps the brand, last four digits, expiry and test-card outcome.
import { type App, AppError } from '@shopnow/chassis';
import { checkCard } from '../domain/card.ts';
import { newId } from '../domain/ids.ts';
import { outcomeOf } from '../domain/test-cards.ts';
import { tokenStatus } from '../domain/token.ts';
import { cardErrors, providerErrors } from '../errors.ts';
import { findToken, insertToken, type TokenRow } from '../store/tokens.ts';
import type { RouteDeps } from './deps.ts';
import { CreateTokenBody, NoQuery, TokenParams, TokenResponse } from './schemas.ts';

const TAGS = ['tokens'];

/** POST /v1/tokens: registered in the publishable-key scope. */
export function registerCreateToken(app: App, { db, clock, tokenTtlSeconds }: RouteDeps): void {
  app.post(
    '/v1/tokens',
    {
      schema: {
        summary: 'Tokenize a card (publishable or secret key)',
        tags: TAGS,
        security: [{ publishableKey: [] }, { secretKey: [] }],
        querystring: NoQuery,
        body: CreateTokenBody,
        response: { 201: TokenResponse },
      },
    },
    async (request, reply) => {
      const now = clock();
      const checked = checkCard(request.body.card, now);
      if (!checked.ok) throw cardErrors(checked.problems);
      const { digits, ...card } = checked.card;
      const token = await insertToken(db, {
        id: newId('token'),
        ...card,
        outcome: outcomeOf(digits),
        customer: request.body.customer ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + tokenTtlSeconds * 1000),
      });
      return reply.code(201).send(tokenView(token, now));
    },
  );
}

/** GET /v1/tokens/:id: registered in the secret-key scope. */
export function registerGetToken(app: App, { db, clock }: RouteDeps): void {
  app.get(
    '/v1/tokens/:id',
    {
      schema: {
        summary: 'A token and whether it can still be charged (active, expired or used)',
        tags: TAGS,
        security: [{ secretKey: [] }],
        params: TokenParams,
        querystring: NoQuery,
        response: { 200: TokenResponse },
      },
    },
    async (request) => {
      const token = await findToken(db, request.params.id);
      if (token === undefined)
        throw new AppError(providerErrors['provider.token_not_found'], 'No such token');
      return tokenView(token, clock());
    },
  );
}

function tokenView(token: TokenRow, now: Date) {
  return {
    id: token.id,
    status: tokenStatus(token, now),
    card: { brand: token.brand, last4: token.last4, expMonth: token.expMonth, expYear: token.expYear },
    customer: token.customer,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    usedAt: token.usedAt?.toISOString() ?? null,
    charge: token.usedBy,
  };
}
