// A route's response body transformation (route table `transform.response.body`) applied to the
// JSON Schema of the body, so a versioned route's documentation shows what it really returns:
// `/api/v2/...` prices as `{amount: "12.99", currency}` and times as ISO-8601 strings.
import type { BodyOps } from '../routes/route-table-schema.ts';
import { isJsonObject, type JsonObject } from './openapi-types.ts';

/** Changes one schema object node in place (its children are visited separately). */
export type SchemaNodeTransform = (node: JsonObject) => void;

const DECIMAL_AMOUNT: JsonObject = {
  type: 'string',
  pattern: '^-?\\d+(\\.\\d+)?$',
  description: 'Decimal amount in the currency\'s major unit, as a string: "129.99"',
  examples: ['129.99'],
};

const ISO_TIME: JsonObject = { type: 'string', format: 'date-time', description: 'ISO-8601 UTC time' };

/** A field the `times` conversion rewrites: `createdAt`, `updatedAt`, ... (the transformer's rule). */
function isTimeField(name: string): boolean {
  return name.length > 2 && name.endsWith('At');
}

/** `type: [..., 'null']` or `anyOf`/`oneOf` with a null branch: a nullable time stays nullable. */
function allowsNull(schema: unknown): boolean {
  if (!isJsonObject(schema)) return false;
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  const branches = [schema.anyOf, schema.oneOf].filter(Array.isArray).flat();
  return branches.some(allowsNull);
}

function properties(node: JsonObject): JsonObject | undefined {
  return isJsonObject(node.properties) ? node.properties : undefined;
}

function renameRequired(node: JsonObject, from: string, to: string | undefined): void {
  if (!Array.isArray(node.required)) return;
  node.required = node.required.flatMap((name) => (name === from ? (to === undefined ? [] : [to]) : [name]));
}

/**
 * The schema counterpart of a body transformation (shaping/body-ops.ts), or undefined when `ops`
 * changes nothing a schema shows. Same order as the transformer: a money object first becomes
 * `{amount, currency, ...}`, then each property is removed, or converted (`...At` times), and
 * renamed; names in `remove`/`rename` are the services' names.
 */
export function schemaTransformFor(ops: BodyOps | undefined): SchemaNodeTransform | undefined {
  if (ops === undefined) return undefined;
  const remove = new Set(ops.remove ?? []);
  const rename = new Map(Object.entries(ops.rename ?? {}));
  const money = ops.money === 'decimal';
  const times = ops.times === 'iso8601';
  if (remove.size === 0 && rename.size === 0 && !money && !times) return undefined;
  return (node) => {
    const props = properties(node);
    if (props === undefined) return;
    let source = props;
    if (money && 'amountMinor' in props && 'currency' in props) {
      source = {};
      for (const [key, value] of Object.entries(props)) {
        if (key === 'amountMinor') source.amount = { ...DECIMAL_AMOUNT };
        else if (key !== 'amount') source[key] = value;
      }
      renameRequired(node, 'amountMinor', 'amount');
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(source)) {
      if (remove.has(key)) {
        renameRequired(node, key, undefined);
        continue;
      }
      const name = rename.get(key) ?? key;
      if (name !== key) renameRequired(node, key, name);
      if (times && isTimeField(key)) {
        out[name] = allowsNull(value) ? { ...ISO_TIME, type: ['string', 'null'] } : { ...ISO_TIME };
      } else out[name] = value;
    }
    node.properties = out;
  };
}
