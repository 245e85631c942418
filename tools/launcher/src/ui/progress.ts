/**
 * Line-based progress on a stream: readable in a terminal, in a CI log and in
 * a test that reads the launcher's stdout. Each line is `<mark> <subject> <text>`.
 */
export interface Progress {
  step(subject: string, text: string): void;
  done(subject: string, text: string, sinceMs?: number): void;
  warn(subject: string, text: string): void;
  fail(subject: string, text: string): void;
  line(text?: string): void;
}

export function createProgress(stream: NodeJS.WritableStream = process.stdout): Progress {
  const width = 11;
  const write = (mark: string, subject: string, text: string) =>
    stream.write(`${mark} ${subject.padEnd(width)} ${text}\n`);
  return {
    step: (subject, text) => write('…', subject, text),
    done: (subject, text, sinceMs) =>
      write(
        '✔',
        subject,
        sinceMs === undefined ? text : `${text} in ${formatDuration(Date.now() - sinceMs)}`,
      ),
    warn: (subject, text) => write('!', subject, text),
    fail: (subject, text) => write('✖', subject, text),
    line: (text = '') => stream.write(`${text}\n`),
  };
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
