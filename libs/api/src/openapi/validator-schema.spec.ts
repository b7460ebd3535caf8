import { IsObject, IsOptional, IsString } from 'class-validator';
import { documentReader, ValidatorSchemaGenerator } from './validator-schema';

class ReaderBaseDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsObject()
  policy?: Record<string, unknown> | null;
}
class ReaderCreateDto extends ReaderBaseDto {}
class ReaderUpdateDto extends ReaderBaseDto {}

const BASE = { type: 'object', properties: { retries: { type: 'number' } } };
const CREATE = { type: 'object', properties: { retries: { type: 'integer' } }, required: ['retries'] };
documentReader(ReaderBaseDto, 'policy', BASE);
documentReader(ReaderCreateDto, 'policy', CREATE);

describe('ValidatorSchemaGenerator with documentReader', () => {
  it("lists a hand-read object's keys, the subclass's entry before its parent's, nullability from the rules", () => {
    const generator = new ValidatorSchemaGenerator();
    expect(generator.schemaOf(ReaderCreateDto).properties?.policy).toEqual({
      anyOf: [CREATE, { type: 'null' }],
    });
    expect(generator.schemaOf(ReaderUpdateDto).properties?.policy).toEqual({
      anyOf: [BASE, { type: 'null' }],
    });
    expect(generator.schemaOf(ReaderUpdateDto).properties?.name).toEqual({ type: 'string' });
    expect(generator.problems).toEqual([]);
  });
});
