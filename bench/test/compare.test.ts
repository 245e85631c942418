import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from '../src/compare.ts';

test('median of round ratios: middle value, mean of the two middle ones, 0 for none', () => {
  assert.equal(median([0.52, 0.28, 0.48]), 0.48);
  assert.equal(median([0.52, 0.51, 0.48, 0.28]), 0.5);
  assert.equal(median([0.4]), 0.4);
  assert.equal(median([]), 0);
});
