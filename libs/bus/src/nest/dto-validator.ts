import { type Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { type MessageValidator } from '../consumer-spec';

function describeErrors(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path === '' ? error.property : `${path}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) => `${here}: ${text}`);
    return [...own, ...describeErrors(error.children ?? [], here)];
  });
}

/** Turns a class-validator DTO into a message validator: plain JSON in, a validated instance out. */
export function dtoValidator<T extends object>(dto: Type<T>): MessageValidator<T> {
  return async (data: unknown): Promise<T> => {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`expected a JSON object for ${dto.name}`);
    }
    const instance = plainToInstance(dto, data);
    const errors = await validate(instance, { forbidUnknownValues: true });
    if (errors.length > 0) {
      throw new Error(describeErrors(errors).join('; ') || `${dto.name} is invalid`);
    }
    return instance;
  };
}
