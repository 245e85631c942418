/**
 * A failure the user can act on. The CLI prints `message` as one line (plus an
 * optional hint line) and exits non-zero, never with a stack trace.
 */
export class LauncherError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'LauncherError';
    this.hint = hint;
  }
}
