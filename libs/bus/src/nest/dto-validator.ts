import { type Type } from '@nestjs/common';
import { type ValidationError, validate } from 'class-validator';
import { type MessageValidator } from '../consumer-spec';
import { plainToDto } from './plain-to-dto';

function describeErrors(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path === '' ? error.property : `${path}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) => `${here}: ${text}`);
    return [...own, ...describeErrors(error.children ?? [], here)];
  });
}

/**
 * Turns a class-validator DTO into a message validator: plain JSON in, a validated instance out.
 * Shaped by `plainToDto`, linear in the keys of free-form properties (class-transformer's own
 * `plainToInstance` is quadratic in them: 20 000 keys took half a second).
 */
export function dtoValidator<T extends object>(dto: Type<T>): MessageValidator<T> {
  return async (data: unknown): Promise<T> => {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`expected a JSON object for ${dto.name}`);
    }
    const instance = plainToDto(dto, data as Record<string, unknown>);
    const errors = await validate(instance, { forbidUnknownValues: true });
    if (errors.length > 0) {
      throw new Error(describeErrors(errors).join('; ') || `${dto.name} is invalid`);
    }
    return instance;
  };
}
