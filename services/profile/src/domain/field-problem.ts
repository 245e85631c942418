// How a domain rule reports what it refuses: the field as a JSON pointer into the request body.
export interface FieldProblem {
  field: string;
  message: string;
}

/** The outcome of checking input: the value to store, or every rule it breaks. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };
