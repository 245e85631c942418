// The address book: /profiles/:userId/addresses[/:addressId[/default-shipping|/default-billing]].
// The first address a user adds becomes both defaults; a default moves with its own route, in one
// transaction; deleting a default leaves the user without one until they choose another.
import { randomUUID } from 'node:crypto';
import { type App, AppError, runWrite, translatingDbErrors } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { changeAddress, MAX_ADDRESSES_PER_USER, prepareAddress } from '../domain/address.ts';
import { notFound, profileErrors, ruleErrors } from '../errors.ts';
import {
  countAddresses,
  type DefaultKind,
  deleteAddress,
  findAddress,
  insertAddress,
  listAddresses,
  lockAddressBook,
  moveDefault,
  updateAddress,
} from '../store/addresses.ts';
import { profileUserOf } from './access.ts';
import type { RouteDeps } from './deps.ts';
import { refuseBody } from './no-body.ts';
import {
  AddressList,
  AddressParams,
  AddressResponse,
  ChangeAddressBody,
  CreateAddressBody,
  NoQuery,
  ProfileParams,
  WriteHeaders,
} from './schemas.ts';
import { writeScope } from './write.ts';

const TAGS = ['addresses'];
const LIST = '/profiles/:userId/addresses';
const ONE = '/profiles/:userId/addresses/:addressId';

export function registerAddressRoutes(app: App, { db }: RouteDeps): void {
  const write = <B>(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    run: (tx: import('pg').PoolClient) => Promise<B>,
  ) => runWrite(db, request, reply, writeScope(request), async (tx) => ({ status, body: await run(tx) }));

  app.get(
    LIST,
    {
      schema: {
        summary: "A user's addresses, oldest first (at most 20, so no paging)",
        tags: TAGS,
        params: ProfileParams,
        querystring: NoQuery,
        response: { 200: AddressList },
      },
    },
    async (request) => ({ items: await listAddresses(db, profileUserOf(request)) }),
  );

  app.post(
    LIST,
    {
      schema: {
        summary: 'Add an address (the first one becomes default shipping and billing)',
        tags: TAGS,
        params: ProfileParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: CreateAddressBody,
        response: { 201: AddressResponse },
      },
    },
    async (request, reply) => {
      const userId = profileUserOf(request);
      const prepared = prepareAddress(request.body);
      if (!prepared.ok) throw ruleErrors(prepared.problems);
      const { body } = await write(request, reply as FastifyReply, 201, async (tx) => {
        await lockAddressBook(tx, userId);
        const count = await countAddresses(tx, userId);
        if (count >= MAX_ADDRESSES_PER_USER) {
          throw new AppError(
            profileErrors['profile.address_limit'],
            `A user keeps at most ${MAX_ADDRESSES_PER_USER} addresses; delete one first`,
          );
        }
        const fields = prepared.value;
        const id = randomUUID();
        return translatingDbErrors(() => insertAddress(tx, { id, userId, fields, isDefault: count === 0 }));
      });
      const created = body;
      return reply.code(201).header('location', `/profiles/${userId}/addresses/${created.id}`).send(created);
    },
  );

  app.get(
    ONE,
    {
      schema: {
        summary: 'One address',
        tags: TAGS,
        params: AddressParams,
        querystring: NoQuery,
        response: { 200: AddressResponse },
      },
    },
    async (request) => {
      const address = await findAddress(db, profileUserOf(request), request.params.addressId);
      if (address === undefined) throw notFound();
      return address;
    },
  );

  app.patch(
    ONE,
    {
      schema: {
        summary: 'Change some fields of an address (null clears an optional one)',
        tags: TAGS,
        params: AddressParams,
        querystring: NoQuery,
        headers: WriteHeaders,
        body: ChangeAddressBody,
        response: { 200: AddressResponse },
      },
    },
    async (request, reply) => {
      const userId = profileUserOf(request);
      const { addressId } = request.params;
      const { body } = await write(request, reply as FastifyReply, 200, async (tx) => {
        const current = await findAddress(tx, userId, addressId, { forUpdate: true });
        if (current === undefined) throw notFound();
        const changed = changeAddress(current, request.body);
        if (!changed.ok) throw ruleErrors(changed.problems);
        const updated = await translatingDbErrors(() => updateAddress(tx, userId, addressId, changed.value));
        if (updated === undefined) throw notFound();
        return updated;
      });
      return body;
    },
  );

  app.delete(
    ONE,
    {
      preValidation: refuseBody,
      schema: {
        summary: 'Delete an address (a default is not handed to another address)',
        tags: TAGS,
        params: AddressParams,
        querystring: NoQuery,
        headers: WriteHeaders,
      },
    },
    async (request, reply) => {
      const userId = profileUserOf(request);
      const { addressId } = request.params;
      await write(request, reply as FastifyReply, 204, async (tx) => {
        if (!(await deleteAddress(tx, userId, addressId))) throw notFound();
        return null;
      });
      return reply.code(204).send();
    },
  );

  for (const kind of ['shipping', 'billing'] as const satisfies readonly DefaultKind[]) {
    app.post(
      `${ONE}/default-${kind}`,
      {
        preValidation: refuseBody,
        schema: {
          summary: `Make this address the default ${kind} address (the previous one stops being it)`,
          tags: TAGS,
          params: AddressParams,
          querystring: NoQuery,
          headers: WriteHeaders,
          response: { 200: AddressResponse },
        },
      },
      async (request, reply) => {
        const userId = profileUserOf(request);
        const { addressId } = request.params;
        const { body } = await write(request, reply as FastifyReply, 200, async (tx) => {
          await lockAddressBook(tx, userId);
          const moved = await moveDefault(tx, userId, addressId, kind);
          if (moved === undefined) throw notFound();
          return moved;
        });
        return body;
      },
    );
  }
}
