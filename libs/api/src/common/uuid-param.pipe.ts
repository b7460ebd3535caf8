import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@orrery/domain';
import { PrefectHttpError } from '../http/prefect-http.error';

/**
 * `{id}` path segments are UUID-typed in Prefect's router: a segment that is not a UUID does not
 * match the route at all, so the answer is the router's 404 `{"detail":"Not Found"}`, not a 422.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw PrefectHttpError.notFound('Not Found');
    return value.toLowerCase();
  }
}
