// Free text as people type it: trimmed, and refused when nothing is left.

/** The trimmed text, or undefined when it is blank. */
export function meaningfulText(input: string): string | undefined {
  const trimmed = input.trim();
  return trimmed.length === 0 ? undefined : trimmed;
}
