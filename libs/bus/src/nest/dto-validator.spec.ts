import { Type } from 'class-transformer';
import { IsInt, IsObject, IsString, ValidateNested } from 'class-validator';
import { dtoValidator } from './dto-validator';

class InnerDto {
  @IsInt()
  count!: number;
}

class OuterDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => InnerDto)
  inner!: InnerDto;
}

describe('dtoValidator', () => {
  const validate = dtoValidator(OuterDto);

  it('returns a validated instance', async () => {
    const value = await validate({ name: 'x', inner: { count: 2 } });
    expect(value).toBeInstanceOf(OuterDto);
    expect(value.inner).toBeInstanceOf(InnerDto);
  });

  it('names every failing property, nested ones by path', async () => {
    await expect(validate({ name: 3, inner: { count: 'many' } })).rejects.toThrow(
      /name: name must be a string; inner\.count: count must be an integer/,
    );
    await expect(validate([1])).rejects.toThrow(/expected a JSON object/);
    await expect(validate(null)).rejects.toThrow(/expected a JSON object/);
  });
});

class PayloadDto {
  @IsString()
  name!: string;

  @IsObject()
  payload!: Record<string, unknown>;

  @ValidateNested()
  @Type(() => InnerDto)
  inner!: InnerDto;
}

describe('dtoValidator on free-form JSON', () => {
  const validate = dtoValidator(PayloadDto);

  it('keeps free-form and unknown properties as sent, however many keys they hold, nested DTOs typed', async () => {
    // class-transformer's plainToInstance de-duplicates keys in O(n²): 50 000 took seconds.
    const many = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, { v: i }]));
    const value = await validate({ name: 'x', payload: many, inner: { count: 1 }, ...many });
    expect(value).toBeInstanceOf(PayloadDto);
    expect(value.inner).toBeInstanceOf(InnerDto);
    expect(value.payload).toBe(many);
    expect(Object.keys(value.payload)).toHaveLength(50_000);
    expect((value as unknown as Record<string, unknown>)['k49999']).toEqual({ v: 49_999 });
  });
});
