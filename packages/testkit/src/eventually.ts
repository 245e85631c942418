// Waiting for what happens asynchronously (an event handled, a row written, a server ready): a test
// polls for the outcome itself instead of sleeping a guessed time, and a timeout fails it naming
// what it waited for.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` every 50 ms until it is true; fails the test with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}
