import { type DestinationStream, type Logger, pino } from 'pino';
import { isoTime } from './logging.ts';

/** Fields of a flat line: known, non-secret keys with scalar values (undefined is left out). */
export type FlatFields = Record<string, string | number | undefined>;

export type FlatInfoWriter = (fields: FlatFields, msg: string) => void;

const writers = new WeakMap<Logger, FlatInfoWriter>();

/**
 * An `info` line written straight to a createLogger logger's stream, byte for byte the line
 * `logger.info(fields, msg)` would write, for the one line every request logs. pino's generic
 * path (a formatter and redaction pass, then a per-key type switch) cost more than the rest of
 * the line; the caller guarantees what makes it unnecessary: flat fields whose keys are constants
 * and never secrets. The caller checks the level.
 */
export function flatInfoWriter(logger: Logger): FlatInfoWriter {
  let writer = writers.get(logger);
  if (writer === undefined) {
    writer = createWriter(logger);
    writers.set(logger, writer);
  }
  return writer;
}

function createWriter(logger: Logger): FlatInfoWriter {
  // pino.symbols is pino's documented hook for integrations: the logger's stream and its bindings
  // (base fields, pid and hostname included) exactly as pino serialises them, with a leading comma.
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as DestinationStream | undefined;
  const head = internals[pino.symbols.chindingsSym];
  if (stream === undefined || typeof head !== 'string') throw new Error('flatInfoWriter: not a pino logger');
  return (fields, msg) => {
    let line = `{"level":"info"${isoTime()}${head}`;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      line += `,"${key}":${typeof value === 'number' ? (Number.isFinite(value) ? value : 'null') : JSON.stringify(value)}`;
    }
    stream.write(`${line},"msg":${JSON.stringify(msg)}}\n`);
  };
}
