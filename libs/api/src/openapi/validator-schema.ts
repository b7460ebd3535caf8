import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) — only the keywords this generator writes. */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  anyOf?: JsonSchema[];
  $ref?: string;
  default?: unknown;
  description?: string;
  [keyword: `x-${string}`]: unknown;
}

type Fragment = (constraints: readonly unknown[]) => JsonSchema;

const DATE_TIME: JsonSchema = { type: 'string', format: 'date-time' };
const UUID: JsonSchema = { type: 'string', format: 'uuid' };
const enumOf = (values: unknown): JsonSchema => ({
  enum: Array.isArray(values) ? values : Object.values(values as object),
});

/**
 * What each class-validator constraint says about the wire type, by constraint name (the `name`
 * of a built-in decorator or of a `ValidateBy`/`registerDecorator` one). A lax decorator documents
 * the canonical form, as upstream's pydantic schema does. A name missing here becomes `{}` (any
 * value) and a listed problem — add it to this table when adding a decorator.
 */
export const CONSTRAINT_SCHEMAS: Readonly<Record<string, Fragment>> = {
  // class-validator built-ins
  isString: () => ({ type: 'string' }),
  isBoolean: () => ({ type: 'boolean' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  isUuid: () => UUID,
  isDateString: () => DATE_TIME,
  isIso8601: () => DATE_TIME,
  isIn: ([values]) => enumOf(values),
  isEnum: ([values]) => enumOf(values),
  matches: ([pattern]) => ({
    type: 'string',
    pattern: pattern instanceof RegExp ? pattern.source : String(pattern),
  }),
  min: ([n]) => ({ minimum: n as number }),
  max: ([n]) => ({ maximum: n as number }),
  minLength: ([n]) => ({ minLength: n as number }),
  maxLength: ([n]) => ({ maxLength: n as number }),
  length: ([min, max]) => ({
    minLength: min as number,
    ...(typeof max === 'number' ? { maxLength: max } : {}),
  }),
  isPositive: () => ({ minimum: 0 }),
  isNotEmpty: () => ({}),
  isDefined: () => ({}),
  // libs/api/src/common
  isLabels: () => ({
    anyOf: [
      {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
      { type: 'null' },
    ],
  }),
  isLaxDateTime: () => DATE_TIME,
  isLaxUuid: () => UUID,
  isLaxBool: () => ({ type: 'boolean' }),
  isLaxInt: () => ({ type: 'integer' }),
  isLaxDuration: () => ({ type: 'number' }),
  isLaxNumber: () => ({ type: 'number' }),
  isLaxEnum: ([values]) => enumOf(values),
  // libs/api/src/filters/filter-field.decorators.ts
  isUuidList: () => ({ type: 'array', items: UUID }),
  isStringList: () => ({ type: 'array', items: { type: 'string' } }),
  isEnumList: ([values]) => ({ type: 'array', items: enumOf(values) }),
  isEnumValue: ([values]) => enumOf(values),
  isInstant: () => DATE_TIME,
  // resource DTOs
  isDateTime: () => DATE_TIME,
  isVariableName: () => ({ type: 'string' }),
  isVariableValue: () => ({}),
  isBaseJobTemplate: () => ({ type: 'object' }),
  isArtifactKey: () => ({ type: 'string' }),
  isStringMap: () => ({ type: 'object', additionalProperties: { type: 'string' } }),
  isPresent: () => ({}),
};

/** Names of our classes in the document: one class name, one component. */
export type ClassRef = new (...args: never[]) => object;

const READER_SCHEMAS = new Map<ClassRef, Map<string, JsonSchema>>();

/**
 * For a DTO property that class-validator checks only as an object (or a list of objects) and a
 * hand-written reader then reads key by key (flowRunPolicyFromWire, parseScheduleInputs…): the
 * schema of what that reader accepts, written next to the reader, so the document lists its keys.
 * Documentation only: the reader stays the validation. Set on the class whose body it documents (a
 * subclass's entry wins over its parent's), nullability still comes from the property's rules.
 */
export function documentReader(cls: ClassRef, property: string, schema: JsonSchema): void {
  const properties = READER_SCHEMAS.get(cls) ?? new Map<string, JsonSchema>();
  properties.set(property, schema);
  READER_SCHEMAS.set(cls, properties);
}

function readerSchema(cls: ClassRef, property: string): JsonSchema | undefined {
  for (let c: unknown = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const schema = READER_SCHEMAS.get(c as ClassRef)?.get(property);
    if (schema !== undefined) return schema;
  }
  return undefined;
}

interface TypeMetadataStorage {
  findTypeMetadata(
    target: object,
    property: string,
  ): { typeFunction: () => unknown; reflectedType?: unknown } | undefined;
}

// class-transformer keeps its @Type() metadata here (not part of its typed entry point; declared in
// http/class-transformer-storage.d.ts).
const typeStorage = defaultMetadataStorage as unknown as TypeMetadataStorage;

const CONDITIONAL = ValidationTypes.CONDITIONAL_VALIDATION;
const NESTED = ValidationTypes.NESTED_VALIDATION;
const CUSTOM = ValidationTypes.CUSTOM_VALIDATION;

function merge(into: JsonSchema, fragment: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...into };
  for (const [key, value] of Object.entries(fragment)) {
    if (key === 'items' && out.items !== undefined) out.items = merge(out.items, value as JsonSchema);
    else if (key === 'type' && out.type !== undefined && out.type !== value) {
      // isInt + isNumber and the like: the narrower wins; array + items keeps "array".
      if (!(out.type === 'integer' && value === 'number')) out.type = value as string;
    } else (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema.anyOf?.some((s) => s.type === 'null') === true) return schema;
  if (Object.keys(schema).length === 0) return schema; // any value already includes null
  const { default: fallback, description, ...rest } = schema;
  return {
    anyOf: [rest, { type: 'null' }],
    ...(fallback !== undefined ? { default: fallback } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function jsonDefault(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Derives JSON Schemas from the class-validator (and class-transformer `@Type`) metadata of DTO
 * classes: the same decorators that validate a request document it, so the two cannot drift.
 * Collects the classes it references (nested DTOs) and every constraint it could not map.
 */
export class ValidatorSchemaGenerator {
  /** Component name → schema, for every class generated so far (nested ones included). */
  readonly components = new Map<string, JsonSchema>();
  /** Constraint names missing from CONSTRAINT_SCHEMAS, as `unmapped validator NAME on Class.property`. */
  readonly problems: string[] = [];
  private readonly classes = new Map<string, ClassRef>();

  constructor(private readonly table: Readonly<Record<string, Fragment>> = CONSTRAINT_SCHEMAS) {}

  /** Whether class-validator knows any rule of this class (a DTO rather than a plain type). */
  static isDto(cls: unknown): cls is ClassRef {
    return (
      typeof cls === 'function' &&
      getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).length > 0
    );
  }

  /** `$ref` to the class's component, generating it (and what it references) on first use. */
  refTo(cls: ClassRef): JsonSchema {
    const name = cls.name;
    const known = this.classes.get(name);
    if (known !== undefined && known !== cls) {
      this.problems.push(`two DTO classes are named ${name}: rename one (component names are class names)`);
    }
    if (known === undefined) {
      this.classes.set(name, cls);
      this.components.set(name, {}); // placeholder: a class may refer to itself
      this.components.set(name, this.schemaOf(cls));
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /** The object schema of one DTO class. */
  schemaOf(cls: ClassRef): JsonSchema {
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(cls, '', true, false);
    const byProperty = storage.groupByPropertyName(metadatas);
    let defaults: Record<string, unknown> = {};
    try {
      defaults = new (cls as new () => Record<string, unknown>)();
    } catch {
      // a DTO whose constructor needs arguments documents no defaults
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [property, rules] of Object.entries(byProperty)) {
      const fallback = jsonDefault(defaults[property]);
      const validated = this.propertySchema(cls, property, rules);
      const schema = readerSchema(cls, property) ?? validated.schema;
      const { optional, allowsNull } = validated;
      let result = allowsNull ? nullable(schema) : schema;
      if (fallback !== undefined) result = { ...result, default: fallback };
      properties[property] = result;
      if (!optional && fallback === undefined) required.push(property);
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
  }

  private propertySchema(
    cls: ClassRef,
    property: string,
    rules: ValidationMetadata[],
  ): { schema: JsonSchema; optional: boolean; allowsNull: boolean } {
    const storage = getMetadataStorage();
    let schema: JsonSchema = {};
    let optional = false;
    let allowsNull = false;
    let validated = false;
    let conditional = false;
    for (const rule of rules) {
      if (rule.type === CONDITIONAL) {
        // IsOptional, AbsentAllowed and any ValidateIf: what the condition says about an absent
        // field, a null and a present value (asked with an object holding only this field).
        const condition = rule.constraints?.[0] as ((object: object, value: unknown) => boolean) | undefined;
        if (typeof condition !== 'function') continue;
        const validates = (value: unknown): boolean => {
          try {
            return condition(value === undefined ? {} : { [property]: value }, value) !== false;
          } catch {
            return true;
          }
        };
        if (!validates(undefined)) optional = true;
        if (!validates(null)) allowsNull = true;
        if (!validates('value')) conditional = true;
        continue;
      }
      if (rule.type === NESTED) {
        validated = true;
        const type = typeStorage.findTypeMetadata(cls, property)?.typeFunction();
        if (ValidatorSchemaGenerator.isDto(type)) {
          const ref = this.refTo(type);
          schema =
            rule.each || schema.type === 'array'
              ? merge(schema, { type: 'array', items: ref })
              : { ...schema, ...ref };
          if (schema.$ref !== undefined) delete schema.type;
        }
        continue;
      }
      if (rule.type !== CUSTOM) continue; // isDefined, whitelist (@Allow): no type information
      validated = true;
      const name = rule.name ?? storage.getTargetValidatorConstraints(rule.constraintCls)[0]?.name ?? '';
      const fragment = this.table[name];
      if (fragment === undefined) {
        this.problems.push(`unmapped validator ${name || '(anonymous)'} on ${cls.name}.${property}`);
        continue;
      }
      const part = fragment(rule.constraints ?? []);
      schema = rule.each
        ? merge(schema, { items: part })
        : schema.$ref !== undefined
          ? schema
          : merge(schema, part);
    }
    if (!validated) optional = true; // @Allow() alone: anything, read by the handler itself
    // A ValidateIf of its own: the rules hold only sometimes, which a schema does not say.
    if (conditional) schema = { ...schema, 'x-orrery-conditional': true };
    return { schema, optional, allowsNull };
  }
}
