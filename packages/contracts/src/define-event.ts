import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { type EventEnvelope, EventEnvelopeSchema } from './envelope.ts';

/** One event type: its versioned name and the schema of its `data`. */
export interface EventContract<TType extends string = string, TSchemaOf extends TSchema = TSchema> {
  readonly type: TType;
  readonly schema: TSchemaOf;
  /** Why `data` fails the schema (JSON pointer: message), or none when it passes. */
  problems(data: unknown): string[];
}

/** The `data` type of a contract. */
export type EventData<C extends EventContract> = Static<C['schema']>;

export function defineEvent<const TType extends string, TSchemaOf extends TSchema>(
  type: TType,
  schema: TSchemaOf,
): EventContract<TType, TSchemaOf> {
  const checker = Compile(schema);
  return {
    type,
    schema,
    problems: (data) => (checker.Check(data) ? [] : describe(checker.Errors(data))),
  };
}

const envelopeChecker = Compile(EventEnvelopeSchema);

/** Why a decoded message is not a well-formed envelope; empty when it is. */
export function envelopeProblems(value: unknown): string[] {
  return envelopeChecker.Check(value) ? [] : describe(envelopeChecker.Errors(value));
}

/** Thrown by a producer publishing an event its contract refuses: a programming error. */
export class ContractViolation extends Error {
  readonly type: string;
  readonly problems: string[];
  constructor(type: string, problems: string[]) {
    super(`event ${type} breaks its contract: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
    this.type = type;
    this.problems = problems;
  }
}

/**
 * The event types a process knows, by name. `check` is the one validation both sides use: the
 * producer before writing the outbox row, the consumer before running a handler.
 */
export class EventCatalog {
  readonly #contracts = new Map<string, EventContract>();

  constructor(contracts: Iterable<EventContract> = []) {
    for (const contract of contracts) this.add(contract);
  }

  add(contract: EventContract): this {
    if (this.#contracts.has(contract.type)) throw new Error(`event type ${contract.type} is defined twice`);
    this.#contracts.set(contract.type, contract);
    return this;
  }

  get(type: string): EventContract | undefined {
    return this.#contracts.get(type);
  }

  get types(): string[] {
    return [...this.#contracts.keys()];
  }

  /** Problems of an envelope: its shape, an unknown type, or `data` against the type's schema. */
  problems(envelope: unknown): string[] {
    const shape = envelopeProblems(envelope);
    if (shape.length > 0) return shape;
    const { type, data } = envelope as EventEnvelope;
    const contract = this.#contracts.get(type);
    if (contract === undefined) return [`unknown event type ${type}`];
    return contract.problems(data).map((p) => `data${p}`);
  }
}

function describe(errors: Iterable<{ instancePath: string; message: string }>): string[] {
  const out: string[] = [];
  for (const error of errors) {
    out.push(`${error.instancePath || '/'}: ${error.message}`);
    if (out.length >= 10) break;
  }
  return out;
}
