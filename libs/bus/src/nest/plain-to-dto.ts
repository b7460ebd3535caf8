import { type ClassTransformOptions, plainToInstance } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';

/*
 * class-transformer's `plainToInstance` in linear time, for every JSON that becomes a DTO: request
 * bodies (the API's validation pipe, list bodies) and bus messages (`dtoValidator`).
 */

type Plain = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The properties class-validator knows on a DTO: `whitelist` strips every other one. */
const knownPropertiesCache = new WeakMap<object, ReadonlySet<string>>();
function knownProperties(dto: new () => unknown): ReadonlySet<string> {
  let known = knownPropertiesCache.get(dto);
  if (known === undefined) {
    known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((m) => m.propertyName),
    );
    knownPropertiesCache.set(dto, known);
  }
  return known;
}

/** The DTO class of a nested property (`@Type(() => X)`), or undefined when it holds plain JSON. */
function nestedDto(dto: new () => unknown, key: string): (new () => unknown) | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(dto, key);
  const type = meta?.typeFunction?.() as unknown;
  return typeof type === 'function' && type !== Object ? (type as new () => unknown) : undefined;
}

/**
 * What class-transformer is given instead of a body, and how to put back what it was not given.
 * class-transformer deep-copies every plain value it meets (and de-duplicates an object's keys in
 * O(n²)): 100 000 keys under an unknown or free-form property (`junk`, `parameters`,
 * `job_variables`) held the event loop for 20 s, 190 000 in a filter for 165 s. So the value of
 * every property that is not a nested DTO, unknown ones included, is left out and set on the
 * instance afterwards, as sent: class-validator still checks it there (and `whitelist` strips or
 * `forbidNonWhitelisted` reports the unknown ones).
 */
function detachFreeForm(
  dto: new () => unknown,
  body: Plain,
): { readonly shaped: Plain; readonly restore: (instance: unknown) => void } {
  const known = knownProperties(dto);
  const shaped: Plain = {};
  const restores: Array<(instance: Plain) => void> = [];
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (!known.has(key)) {
      restores.push((instance) => {
        instance[key] = value;
      });
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      shaped[key] = value;
      continue;
    }
    const nested = nestedDto(dto, key);
    if (nested === undefined) {
      restores.push((instance) => {
        instance[key] = value;
      });
    } else if (Array.isArray(value)) {
      const parts = value.map((item) => (isPlainObject(item) ? detachFreeForm(nested, item) : null));
      shaped[key] = value.map((item, i) => parts[i]?.shaped ?? item);
      restores.push((instance) => {
        const list = instance[key];
        if (Array.isArray(list)) parts.forEach((part, i) => part?.restore(list[i]));
      });
    } else if (isPlainObject(value)) {
      const part = detachFreeForm(nested, value);
      shaped[key] = part.shaped;
      restores.push((instance) => part.restore(instance[key]));
    } else {
      shaped[key] = value;
    }
  }
  return {
    shaped,
    restore: (instance) => {
      if (isPlainObject(instance)) for (const restore of restores) restore(instance);
    },
  };
}

/** `plainToInstance` of a JSON object in linear time (see detachFreeForm). */
export function plainToDto<T extends object>(
  dto: new () => T,
  plain: Record<string, unknown>,
  options?: ClassTransformOptions,
): T {
  const { shaped, restore } = detachFreeForm(dto, plain);
  const instance = plainToInstance(dto, shaped, options);
  restore(instance);
  return instance;
}
