// An entry as one Redis value: a 4-byte length, the metadata as JSON, then the body bytes as they
// are (no base64), so a GET returns everything needed to answer.
import type { CachedResponse } from './types.ts';

interface Meta {
  v: 1;
  status: number;
  headers: Record<string, string | string[]>;
  etag: string;
  storedAtMs: number;
  freshUntilMs: number;
  staleUntilMs: number;
  generation: string;
}

export function encodeEntry(entry: CachedResponse, generation: string): Buffer {
  const meta: Meta = {
    v: 1,
    status: entry.status,
    headers: entry.headers,
    etag: entry.etag,
    storedAtMs: entry.storedAtMs,
    freshUntilMs: entry.freshUntilMs,
    staleUntilMs: entry.staleUntilMs,
    generation,
  };
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(metaBytes.length);
  return Buffer.concat([length, metaBytes, entry.body]);
}

/** The entry and the generation it was stored with; undefined for a value this codec did not write. */
export function decodeEntry(value: Buffer): { entry: CachedResponse; generation: string } | undefined {
  if (value.length < 4) return undefined;
  const metaLength = value.readUInt32BE(0);
  if (4 + metaLength > value.length) return undefined;
  let meta: Meta;
  try {
    meta = JSON.parse(value.subarray(4, 4 + metaLength).toString('utf8')) as Meta;
  } catch {
    return undefined;
  }
  if (meta.v !== 1) return undefined;
  return {
    entry: {
      status: meta.status,
      headers: meta.headers,
      body: value.subarray(4 + metaLength),
      etag: meta.etag,
      storedAtMs: meta.storedAtMs,
      freshUntilMs: meta.freshUntilMs,
      staleUntilMs: meta.staleUntilMs,
    },
    generation: meta.generation,
  };
}
