import assert from 'node:assert/strict';

/** The parts of a light-my-request response the assertion reads. */
export interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  raw: { req: { method?: string | undefined } };
  json(): unknown;
}

export interface ProblemBody {
  code: string;
  status: number;
  detail?: string;
  request_id: string;
  errors?: Array<{ in: string; field: string; message: string }>;
  [field: string]: unknown;
}

/**
 * Asserts an RFC 9457 problem as every ShopNow service answers one: the status, the problem+json
 * type, `status` and `request_id` in the body, no stack trace, and the stable `code` when given.
 * A HEAD answer has no body, so only its status is checked.
 */
export function assertProblem(res: InjectedResponse, status: number, code?: string): ProblemBody {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  if (res.raw.req.method === 'HEAD') return { code: '', status, request_id: '' };
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(typeof body.request_id, 'string');
  assert.doesNotMatch(res.body, /at .+\.ts:\d+/, 'no stack trace');
  if (code !== undefined) assert.equal(body.code, code);
  return body;
}
