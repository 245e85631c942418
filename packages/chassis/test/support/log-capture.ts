/** A pino destination that keeps every line, parsed, for assertions. */
export interface LogCapture {
  stream: { write(line: string): void };
  lines: Array<Record<string, unknown>>;
  /** Raw text of everything written, for "this secret never appears" checks. */
  text(): string;
}

export function captureLogs(): LogCapture {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  return {
    stream: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
    lines,
    text: () => raw.join(''),
  };
}
