import { IsString, Matches, ValidateIf } from 'class-validator';
import { AbsentAllowed } from '../common/validators';

const SLUG_PATTERN = /^[a-z0-9-]*$/;

/** Nullable optional string: absent and null are both allowed. */
const NullableString = (): PropertyDecorator => {
  const validateIf = ValidateIf((_o: object, value: unknown) => value !== undefined && value !== null);
  const isString = IsString();
  return (target, key) => {
    validateIf(target, key);
    isString(target, key);
  };
};

/** `BlockTypeCreate`: the body of `POST /block_types/`. */
export class BlockTypeCreateDto {
  @IsString()
  name!: string;

  @IsString()
  @Matches(SLUG_PATTERN, {
    message: 'Block type slug must only contain lowercase letters, numbers, and dashes.',
  })
  slug!: string;

  @NullableString() logo_url: string | null = null;
  @NullableString() documentation_url: string | null = null;
  @NullableString() description: string | null = null;
  @NullableString() code_example: string | null = null;
}

/** `BlockTypeUpdate`: the body of `PATCH /block_types/{id}`; absent fields stay as they are. */
export class BlockTypeUpdateDto {
  @AbsentAllowed() @NullableString() logo_url?: string | null;
  @AbsentAllowed() @NullableString() documentation_url?: string | null;
  @AbsentAllowed() @NullableString() description?: string | null;
  @AbsentAllowed() @NullableString() code_example?: string | null;
}
