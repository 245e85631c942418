// The customer's cart: /carts (a new anonymous cart) and /carts/me (the caller's cart: a user's,
// or the anonymous one its X-Cart-Token opens). Every answer is private (Cache-Control: no-store).
import { randomUUID } from 'node:crypto';
import { type App, requestFingerprint, requireUser } from '@shopnow/chassis';
import type { FastifyReply } from 'fastify';
import { type CartOwner, changeCart, currentCart } from '../carts/current-cart.ts';
import type { CartContext } from '../context.ts';
import { isRepeat, type KeyedRequest, oncePerKey } from '../domain/applied-keys.ts';
import { type Cart as CartState, newCart } from '../domain/cart.ts';
import { addLine, clearLines, removeLine, setQuantity } from '../domain/cart-changes.ts';
import { hashCartToken, newCartToken } from '../domain/cart-token.ts';
import { isIdle } from '../domain/expiry.ts';
import { mergeCarts } from '../domain/merge.ts';
import { asProblem, cartNotFound, forUsersOnly, productUnavailable } from '../errors.ts';
import { ownerOf } from './owner.ts';
import {
  AddLineBody,
  AddLineHeaders,
  Cart,
  CartHeaders,
  CreatedCart,
  MergeBody,
  NoQuery,
  ProductParams,
  SetQuantityBody,
} from './schemas.ts';
import { cartView } from './views.ts';

const TAGS = ['cart'];
const ME = '/carts/me';
const LINE = '/carts/me/lines/:productId';

export function registerCartRoutes(app: App, ctx: CartContext): void {
  const view = (cart: Parameters<typeof cartView>[0]) => cartView(cart, ctx.settings.emptyCurrency);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post(
    '/carts',
    {
      schema: {
        summary: 'A new anonymous cart; its token (X-Cart-Token) is shown once',
        tags: TAGS,
        querystring: NoQuery,
        response: { 201: CreatedCart },
      },
    },
    async (request, reply) => {
      if (request.identity?.kind === 'service') throw forUsersOnly();
      const cartToken = newCartToken();
      const cart = await ctx.store.insert(
        newCart({ id: randomUUID(), tokenHash: hashCartToken(cartToken), now: ctx.now() }),
      );
      return reply.code(201).send({ cartId: cart.id, cartToken });
    },
  );

  app.get(
    ME,
    {
      schema: {
        summary: "The caller's cart (a user's, made on first use; or the anonymous one of X-Cart-Token)",
        tags: TAGS,
        headers: CartHeaders,
        querystring: NoQuery,
        response: { 200: Cart },
      },
    },
    async (request, reply) => view(await currentCart(ctx, ownerOf(request, reply as FastifyReply))),
  );

  app.post(
    '/carts/me/lines',
    {
      schema: {
        summary: 'Add units of a product (priced by the catalog now); adds to an existing line',
        tags: TAGS,
        headers: AddLineHeaders,
        querystring: NoQuery,
        body: AddLineBody,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request, reply as FastifyReply);
      const { productId, quantity } = request.body;
      const now = ctx.now();
      const key = request.headers['idempotency-key'];
      const keyed = key === undefined ? undefined : { key, fingerprint: requestFingerprint(request.body) };
      const product = await ctx.products.find(productId);
      if (product === undefined) {
        // A product gone off sale since the first request must not turn its retry into a refusal.
        if (keyed !== undefined) {
          const current = await currentCart(ctx, owner);
          if (isRepeatOf(current, keyed, now)) {
            reply.header('idempotent-replayed', 'true');
            return view(current);
          }
        }
        throw productUnavailable(productId);
      }
      const add = (cart: CartState) => addLine(cart, product, quantity, now);
      let replayed = false;
      // The key is checked inside the atomic change, so concurrent repeats add once.
      const change =
        keyed === undefined
          ? add
          : oncePerKey(add, keyed, now, () => {
              replayed = true;
            });
      const cart = await changeCart(ctx, owner, change);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return view(cart);
    },
  );

  app.put(
    LINE,
    {
      schema: {
        summary: "Set a line's quantity",
        tags: TAGS,
        headers: CartHeaders,
        params: ProductParams,
        querystring: NoQuery,
        body: SetQuantityBody,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request, reply as FastifyReply);
      const productId = request.params.productId.toLowerCase();
      const cart = await changeCart(ctx, owner, (cart) =>
        setQuantity(cart, productId, request.body.quantity, ctx.now()),
      );
      return view(cart);
    },
  );

  app.delete(
    LINE,
    {
      schema: {
        summary: 'Remove a line',
        tags: TAGS,
        headers: CartHeaders,
        params: ProductParams,
        querystring: NoQuery,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request, reply as FastifyReply);
      const productId = request.params.productId.toLowerCase();
      return view(await changeCart(ctx, owner, (cart) => removeLine(cart, productId, ctx.now())));
    },
  );

  app.delete(
    ME,
    {
      schema: {
        summary: 'Remove every line',
        tags: TAGS,
        headers: CartHeaders,
        querystring: NoQuery,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request, reply as FastifyReply);
      return view(await changeCart(ctx, owner, (cart) => clearLines(cart, ctx.now())));
    },
  );

  app.post(
    '/carts/me/merge',
    {
      preHandler: requireUser,
      schema: {
        summary: "At login: the anonymous cart of cartToken joins the user's cart and is deleted",
        tags: TAGS,
        querystring: NoQuery,
        body: MergeBody,
        response: { 200: Cart },
      },
    },
    async (request, reply) =>
      view(await mergeInto(ctx, ownerOf(request, reply as FastifyReply), request.body.cartToken)),
  );
}

async function mergeInto(ctx: CartContext, owner: CartOwner, cartToken: string) {
  const source = await ctx.store.findByTokenHash(hashCartToken(cartToken));
  if (source === undefined || isIdle(source, ctx.now(), ctx.settings.idleMs)) throw cartNotFound();
  const target = await currentCart(ctx, owner);
  try {
    const merged = await ctx.store.merge(target.id, source.id, (t, s) => mergeCarts(t, s, ctx.now()));
    if (merged === undefined) throw cartNotFound(); // merged (or deleted) by a concurrent request
    return merged;
  } catch (err) {
    throw asProblem(err);
  }
}

/** isRepeat, its refusal (the key with another request) as the client's problem. */
function isRepeatOf(cart: CartState, keyed: KeyedRequest, now: number): boolean {
  try {
    return isRepeat(cart, keyed, now);
  } catch (err) {
    throw asProblem(err);
  }
}
