// Role changes as the token service sees them: only a role taken away makes live tokens wrong.

/** The roles in `previous` that `current` no longer has. */
export function rolesTakenAway<R extends string>(previous: readonly R[], current: readonly R[]): R[] {
  const kept = new Set(current);
  return previous.filter((role) => !kept.has(role));
}
