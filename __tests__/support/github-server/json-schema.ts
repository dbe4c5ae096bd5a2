/**
 * A JSON-schema subset validator for GitHub's OpenAPI 3.0 description: type, nullable, enum,
 * properties, required, additionalProperties, items, oneOf/anyOf/allOf and local $refs. Enough
 * to catch a wrong field name, a wrong type or a missing required field in what the simulated
 * GitHub serves or receives. Formats other than date-time and uri are not checked.
 */

/** A schema node as it appears in the OpenAPI document. */
export type Schema = Record<string, unknown>;

/** Resolves `#/components/...` references inside one document. */
export type RefResolver = (ref: string) => Schema;

/** Returns the problems of `value` against `schema` (empty when valid), each prefixed with its JSON path. */
export function validateSchema(schema: Schema, value: unknown, resolve: RefResolver, at = '$'): string[] {
  const node = deref(schema, resolve);
  if (value === null) {
    return node.nullable === true || isNullAllowed(node, resolve) ? [] : [`${at}: null is not allowed`];
  }
  if (Array.isArray(node.allOf)) {
    return (node.allOf as Schema[]).flatMap((part) => validateSchema(part, value, resolve, at));
  }
  if (Array.isArray(node.anyOf))
    return validateAlternatives(node.anyOf as Schema[], value, resolve, at, 'anyOf');
  if (Array.isArray(node.oneOf))
    return validateAlternatives(node.oneOf as Schema[], value, resolve, at, 'oneOf');
  if (Array.isArray(node.enum) && !node.enum.includes(value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(node.enum)}`];
  }
  const typeProblem = checkType(node, value, at);
  if (typeProblem !== undefined) return [typeProblem];
  if (Array.isArray(value) && node.items !== undefined) {
    return value.flatMap((item, index) =>
      validateSchema(node.items as Schema, item, resolve, `${at}[${index}]`),
    );
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return validateObject(node, value as Record<string, unknown>, resolve, at);
  }
  return [];
}

function deref(schema: Schema, resolve: RefResolver): Schema {
  let node = schema;
  for (let depth = 0; typeof node.$ref === 'string' && depth < 20; depth += 1) node = resolve(node.$ref);
  return node;
}

function isNullAllowed(node: Schema, resolve: RefResolver): boolean {
  const alternatives = (node.anyOf ?? node.oneOf) as Schema[] | undefined;
  if (alternatives?.some((alternative) => deref(alternative, resolve).nullable === true)) return true;
  return Array.isArray(node.enum) && node.enum.includes(null);
}

function validateAlternatives(
  alternatives: Schema[],
  value: unknown,
  resolve: RefResolver,
  at: string,
  keyword: 'anyOf' | 'oneOf',
): string[] {
  const results = alternatives.map((alternative) => validateSchema(alternative, value, resolve, at));
  const matches = results.filter((problems) => problems.length === 0).length;
  if (keyword === 'anyOf' ? matches >= 1 : matches === 1) return [];
  if (matches > 1) return [`${at}: matches ${matches} oneOf alternatives, expected exactly one`];
  const closest = results.reduce((best, problems) => (problems.length < best.length ? problems : best));
  return [`${at}: matches none of the ${keyword} alternatives; closest: ${closest.slice(0, 3).join('; ')}`];
}

function checkType(node: Schema, value: unknown, at: string): string | undefined {
  const type = node.type;
  if (typeof type !== 'string') return undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  const ok =
    (type === 'integer' && Number.isInteger(value)) ||
    (type === 'number' && typeof value === 'number') ||
    (type === 'array' && actual === 'array') ||
    (type === 'object' && actual === 'object') ||
    (type === 'string' && actual === 'string') ||
    (type === 'boolean' && actual === 'boolean');
  if (!ok) return `${at}: expected ${type}, got ${actual} ${truncate(JSON.stringify(value))}`;
  if (type === 'string') return checkFormat(node.format, value as string, at);
  return undefined;
}

function checkFormat(format: unknown, value: string, at: string): string | undefined {
  if (format === 'date-time' && Number.isNaN(Date.parse(value)))
    return `${at}: "${value}" is not a date-time`;
  if (format === 'uri' && !URL.canParse(value)) return `${at}: "${value}" is not a URI`;
  return undefined;
}

function validateObject(
  node: Schema,
  value: Record<string, unknown>,
  resolve: RefResolver,
  at: string,
): string[] {
  const properties = (node.properties ?? {}) as Record<string, Schema>;
  const problems: string[] = [];
  for (const name of (node.required ?? []) as string[]) {
    if (!(name in value)) problems.push(`${at}: missing required property "${name}"`);
  }
  for (const [name, item] of Object.entries(value)) {
    const propertySchema = properties[name];
    if (propertySchema !== undefined) {
      problems.push(...validateSchema(propertySchema, item, resolve, `${at}.${name}`));
    } else if (node.additionalProperties === false) {
      problems.push(`${at}: unknown property "${name}"`);
    } else if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null) {
      problems.push(...validateSchema(node.additionalProperties as Schema, item, resolve, `${at}.${name}`));
    }
  }
  return problems;
}

function truncate(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * Builds a value for `schema` from `given`: keeps every given property and fills each missing
 * required one with the smallest valid value (null where nullable, the first enum entry, an empty
 * array, a placeholder string). The simulated GitHub sets the fields a client reads and lets this
 * fill the dozens of others GitHub always sends, so responses have GitHub's full shape.
 */
export function fillRequired(schema: Schema, given: unknown, resolve: RefResolver): unknown {
  const node = deref(schema, resolve);
  if (Array.isArray(node.allOf)) {
    return (node.allOf as Schema[]).reduce<unknown>((acc, part) => fillRequired(part, acc, resolve), given);
  }
  const alternatives = (node.oneOf ?? node.anyOf) as Schema[] | undefined;
  if (alternatives !== undefined) {
    if (given === undefined) return fillRequired(alternatives[0]!, undefined, resolve);
    // Complete along the first alternative of the same JSON type (e.g. the user object of a nullable user).
    const kind = Array.isArray(given) ? 'array' : typeof given;
    const fitting = alternatives.find((alternative) => {
      const type =
        deref(alternative, resolve).type ?? (deref(alternative, resolve).allOf ? 'object' : undefined);
      return type === kind || (kind === 'number' && type === 'integer');
    });
    return fitting === undefined ? given : fillRequired(fitting, given, resolve);
  }
  if (given !== undefined) return fillObject(node, given, resolve);
  if (node.nullable === true) return null;
  if (Array.isArray(node.enum)) return node.enum[0];
  return placeholder(node, resolve);
}

function fillObject(node: Schema, given: unknown, resolve: RefResolver): unknown {
  if (Array.isArray(given) && node.items !== undefined) {
    return given.map((item) => fillRequired(node.items as Schema, item, resolve));
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given) || node.type !== 'object')
    return given;
  const properties = (node.properties ?? {}) as Record<string, Schema>;
  const out: Record<string, unknown> = {};
  for (const name of (node.required ?? []) as string[]) {
    if (!(name in given) && properties[name] !== undefined)
      out[name] = fillRequired(properties[name]!, undefined, resolve);
  }
  for (const [name, value] of Object.entries(given)) {
    out[name] = properties[name] === undefined ? value : fillRequired(properties[name]!, value, resolve);
  }
  return out;
}

function placeholder(node: Schema, resolve: RefResolver): unknown {
  switch (node.type) {
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return fillObject(node, {}, resolve);
    default:
      if (node.format === 'date-time') return '2024-01-01T00:00:00Z';
      if (node.format === 'uri') return 'https://github.test/placeholder';
      return '';
  }
}
