/**
 * The JSON Schema of `.github/ar-mirror.yml`, generated from the settings table (table.ts), and
 * the small evaluator parseConfigFile uses to check a file's values against that same schema.
 * `npm run build` writes it to schema/ar-mirror.schema.json (scripts/write-schema.ts).
 *
 * What the schema cannot say and only the validator checks: that the destination's first
 * component is a registry host, that globs are well formed (balanced braces and brackets, not
 * all negated), the path template's variables, and credential lines (never in the file anyway).
 */
import { SETTING_LIST, type SettingType } from './table.js';
import { PLATFORM_PATTERN, TIMEOUT_PATTERN } from './values.js';

/** The subset of JSON Schema (draft-07) this generator writes and checkValue evaluates. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'string' | 'boolean' | 'integer' | 'array' | 'null';
  enum?: readonly unknown[];
  default?: unknown;
  examples?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
}

/** Where the published schema lives (the `$id`), inside the npm package. */
export const SCHEMA_ID = 'https://unpkg.com/ar-mirror/schema/ar-mirror.schema.json';

// Platform lists written as text: items separated by commas, spaces or newlines.
const PLATFORM_ITEM = PLATFORM_PATTERN.slice(1, -1);
const PLATFORM_TEXT_LIST = `^[\\s,]*${PLATFORM_ITEM}([\\s,]+${PLATFORM_ITEM})*[\\s,]*$`;

/** A duration as refresh-min-age takes it (src/refresh/duration.ts). */
const DURATION_PATTERN = '^(0|[0-9]{1,6}[mhdw])$';

/** The schema of one setting's value in the config file. */
export function typeSchema(type: SettingType): JsonSchema {
  switch (type.kind) {
    case 'destination':
      return { type: 'string', minLength: 1 };
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'whole-number':
      return { type: 'integer', minimum: type.range.minimum, maximum: type.range.maximum };
    case 'timeout':
      return {
        anyOf: [
          {
            type: 'string',
            pattern: TIMEOUT_PATTERN,
            description: '90s, 30m or 2h; seconds without a unit.',
          },
          { type: 'integer', minimum: 1, maximum: 86_400, description: 'Seconds.' },
        ],
      };
    case 'list': {
      const platform = type.items === 'platform';
      return {
        anyOf: [
          {
            type: 'array',
            items: platform ? { type: 'string', pattern: PLATFORM_PATTERN } : { type: 'string' },
          },
          platform
            ? { type: 'string', pattern: PLATFORM_TEXT_LIST }
            : { type: 'string', description: 'One item per line or comma.' },
          { type: 'null', description: 'An empty key is an empty list.' },
        ],
      };
    }
    case 'credentials':
      return { type: 'string' };
    case 'duration':
      return {
        anyOf: [
          { type: 'string', pattern: DURATION_PATTERN },
          { type: 'integer', minimum: 0, maximum: 0, description: '0: no minimum.' },
        ],
      };
  }
}

/** A setting's default as the config file writes it (a duration as minutes, not milliseconds). */
function schemaDefault(setting: (typeof SETTING_LIST)[number]): unknown {
  return setting.type.kind === 'timeout' ? `${Number(setting.default) / 60_000}m` : setting.default;
}

/** The whole schema of `.github/ar-mirror.yml`: every setting the file may hold, nothing else. */
export function generateConfigSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const setting of SETTING_LIST) {
    if (setting.inFile === false) continue;
    properties[setting.key] = {
      description: setting.description,
      ...typeSchema(setting.type),
      ...(setting.default === undefined ? {} : { default: schemaDefault(setting) }),
      ...(setting.examples ? { examples: [...setting.examples] } : {}),
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'ar-mirror configuration (.github/ar-mirror.yml)',
    description:
      'Settings of the ar-mirror action and CLI; an action input that is set wins over the file. Generated from src/config/table.ts.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

/** The schema file's text, exactly as checked in (two-space JSON and a final newline). */
export function renderConfigSchema(): string {
  return `${JSON.stringify(generateConfigSchema(), null, 2)}\n`;
}

/** True when `value` satisfies `schema` (the subset above: type, enum, bounds, pattern, items, anyOf). */
export function checkValue(schema: JsonSchema, value: unknown): boolean {
  if (schema.anyOf && !schema.anyOf.some((option) => checkValue(option, value))) return false;
  if (schema.type !== undefined && !hasType(schema.type, value)) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) return false;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    if (!value.every((item) => checkValue(items, item))) return false;
  }
  return true;
}

function hasType(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
