import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
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
