/**
 * Calls `probe` until `done` holds, then returns its last result; throws with `what` and the last
 * result at the deadline. For state that arrives by events (no push to wait on): each probe is a
 * fresh read, so the wait ends as soon as the state is there.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (result: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (done(result)) return result;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(result)?.slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
