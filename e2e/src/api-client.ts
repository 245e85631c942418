// HTTP calls as a client makes them from outside: JSON in and out, an optional bearer token, and
// the client address the gateway should see (X-Forwarded-For, honoured from TRUSTED_PROXIES only).
import type { InjectedResponse } from '@shopnow/testkit';

export interface ApiResponse<T = unknown> {
  method: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  body: T;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as X-Forwarded-For: the client address the gateway rate-limits by. */
  clientIp?: string | undefined;
}

export type ApiCall = <T = unknown>(
  method: string,
  path: string,
  options?: CallOptions,
) => Promise<ApiResponse<T>>;

/** A caller of `baseUrl` (path appended as is). */
export function apiClient(baseUrl: string): ApiCall {
  return async <T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.clientIp !== undefined) headers['x-forwarded-for'] = options.clientIp;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { method, status: res.status, headers: res.headers, text, body: body as T };
  };
}

/** The shape testkit's assertProblem reads, so fetch answers are held to the same problem rules. */
export function asInjected(res: ApiResponse): InjectedResponse {
  return {
    statusCode: res.status,
    headers: Object.fromEntries(res.headers.entries()),
    body: res.text,
    raw: { req: { method: res.method } },
    json: () => JSON.parse(res.text),
  };
}
