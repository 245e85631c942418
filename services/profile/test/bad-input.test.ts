// Every write route, walked from the route table (onRoute), refuses unknown fields, wrong types,
// oversized text and non-object bodies with a 400 problem naming the field, from the owner
// (access is not what refuses them), and nothing already stored changes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  addAddress,
  assertProblem,
  asUser,
  isWrite,
  type ProfileFixture,
  pathFor,
  profileRoutes,
  type RegisteredRoute,
  snapshot,
  startProfile,
  validBodyFor,
} from './helpers.ts';

let f: ProfileFixture;
const owner = randomUUID();
let address: string;
let headers: Record<string, string>;

before(async () => {
  f = await startProfile();
  address = (await addAddress(f, owner)).id;
  headers = await asUser(f, owner);
  await f.app.inject({
    method: 'PUT',
    url: '/profiles/me/preferences',
    headers,
    payload: { marketingOptIn: true, channels: ['email'], locale: 'nl-NL', currency: 'EUR' },
  });
});
after(() => f?.close());

const writeRoutes = () => profileRoutes(f).filter((route) => isWrite(route.method));

/** A value of another JSON type than `schema` accepts. */
function wrongTypeFor(schema: TSchema): unknown {
  const candidates = [12345, 'a string', true, { nested: 1 }, [1, 2]];
  const wrong = candidates.find((value) => !Value.Check(schema, value) && typeof value !== 'string');
  return wrong ?? candidates.find((value) => !Value.Check(schema, value));
}

function propertiesOf(route: RegisteredRoute): Array<[string, TSchema]> {
  const schema = route.bodySchema as { properties?: Record<string, TSchema> } | undefined;
  return Object.entries(schema?.properties ?? {});
}

async function send(route: RegisteredRoute, payload: unknown) {
  return f.app.inject({
    method: route.method,
    url: pathFor(route.url, 'me', address),
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

function assertNames(res: Awaited<ReturnType<typeof send>>, field: string, what: string) {
  const problem = assertProblem(res, 400);
  assert.ok(
    problem.errors?.some((e) => e.field === field && e.in === 'body'),
    `${what}: expected an error naming ${field}, got ${res.body}`,
  );
}

describe('bad input on every write route', () => {
  it('there are write routes to walk', () => {
    assert.ok(writeRoutes().length >= 7, `found ${writeRoutes().length}`);
  });

  it('an unknown field next to valid ones is a 400 naming it', async () => {
    const stored = await snapshot(f.pool);
    for (const route of writeRoutes()) {
      const res = await send(route, { ...(validBodyFor(route) ?? {}), surprise: 'hello' });
      assertNames(res, '/surprise', `${route.method} ${route.url}`);
    }
    assert.equal(await snapshot(f.pool), stored);
  });

  it('a wrong type in any field is a 400 naming it', async () => {
    const stored = await snapshot(f.pool);
    let checked = 0;
    for (const route of writeRoutes()) {
      for (const [name, schema] of propertiesOf(route)) {
        const value = wrongTypeFor(schema);
        const res = await send(route, { ...(validBodyFor(route) ?? {}), [name]: value });
        assertNames(res, `/${name}`, `${route.method} ${route.url} with ${name}=${JSON.stringify(value)}`);
        checked++;
      }
    }
    assert.ok(checked >= 20, `checked ${checked} fields`);
    assert.equal(await snapshot(f.pool), stored);
  });

  it('oversized text in any field is a 400 naming it', async () => {
    const stored = await snapshot(f.pool);
    let checked = 0;
    for (const route of writeRoutes()) {
      for (const [name, schema] of propertiesOf(route)) {
        const max = maxLengthOf(schema);
        if (max === undefined) continue;
        const res = await send(route, { ...(validBodyFor(route) ?? {}), [name]: 'A'.repeat(max + 1) });
        assertNames(res, `/${name}`, `${route.method} ${route.url} with a long ${name}`);
        checked++;
      }
    }
    assert.ok(checked >= 15, `checked ${checked} fields`);
    assert.equal(await snapshot(f.pool), stored);
  });

  it('a body that is not an object (array, string, number, null) is a 400', async () => {
    const stored = await snapshot(f.pool);
    for (const route of writeRoutes()) {
      for (const payload of [[], ['x'], 'text', 42]) {
        const res = await send(route, payload);
        assertProblem(res, 400);
      }
      if (route.bodySchema !== undefined) assertProblem(await send(route, null), 400);
    }
    assert.equal(await snapshot(f.pool), stored);
  });

  it('malformed JSON and a non-JSON content type are refused with a problem, never a 500', async () => {
    const stored = await snapshot(f.pool);
    for (const route of writeRoutes()) {
      const url = pathFor(route.url, 'me', address);
      const broken = await f.app.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{"label": ',
      });
      assertProblem(broken, 400);
      const text = await f.app.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'text/plain' },
        payload: 'hello',
      });
      assertProblem(text, 415);
    }
    assert.equal(await snapshot(f.pool), stored);
  });

  it('a bad path id or an unknown query parameter is a 400 for the owner', async () => {
    for (const route of profileRoutes(f)) {
      if (route.method === 'HEAD') continue;
      const payload = validBodyFor(route);
      const opts = payload === undefined ? {} : { payload };
      if (route.url.includes(':addressId')) {
        const res = await f.app.inject({
          method: route.method,
          url: pathFor(route.url, 'me', 'not-a-uuid'),
          headers,
          ...opts,
        });
        assertProblem(res, 400);
      }
      const query = await f.app.inject({
        method: route.method,
        url: `${pathFor(route.url, 'me', randomUUID())}?debug=1`,
        headers,
        ...opts,
      });
      assertProblem(query, 400);
    }
  });
});

function maxLengthOf(schema: TSchema): number | undefined {
  const s = schema as { maxLength?: number; anyOf?: TSchema[] };
  if (typeof s.maxLength === 'number') return s.maxLength;
  for (const option of s.anyOf ?? []) {
    const max = maxLengthOf(option);
    if (max !== undefined) return max;
  }
  return undefined;
}
