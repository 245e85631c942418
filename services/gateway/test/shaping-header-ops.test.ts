import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHeaderOps } from '../src/shaping/header-ops.ts';

describe('applyHeaderOps', () => {
  it('removes, then renames, then sets — names case-insensitive, written lower-case', () => {
    const headers: Record<string, string | string[] | undefined> = {
      'x-powered-by': 'Express',
      'X-Old': 'value',
      server: 'node',
      'set-cookie': ['a=1', 'b=2'],
      'api-version': '1',
    };
    applyHeaderOps(headers, {
      remove: ['X-Powered-By', 'Server'],
      rename: { 'x-OLD': 'X-New', 'Set-Cookie': 'X-Cookies', 'x-absent': 'x-never' },
      set: { 'API-Version': '2', 'X-New': 'overridden-by-set?' },
    });
    assert.deepEqual(headers, {
      'x-cookies': ['a=1', 'b=2'],
      'api-version': '2',
      'x-new': 'overridden-by-set?',
    });
  });

  it('remove comes before rename (a removed header is not renamed); set wins over a rename target', () => {
    const headers: Record<string, string | string[] | undefined> = { a: '1', b: '2' };
    applyHeaderOps(headers, { remove: ['a'], rename: { a: 'c', b: 'd' }, set: { d: 'set' } });
    assert.deepEqual(headers, { d: 'set' });
  });

  it('does nothing without ops', () => {
    const headers = { a: '1' };
    applyHeaderOps(headers, undefined);
    assert.deepEqual(headers, { a: '1' });
  });
});
