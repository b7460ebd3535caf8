import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/**
 * Every Prefect response body is JSON, bare scalars included (`"0.8.4"`, `"👋"`, `true`, `null`).
 * Fastify sends a returned string as text/plain; encode it as a JSON string instead.
 */
@Injectable()
export class JsonResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (typeof value !== 'string') return value;
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        if (reply.getHeader('content-type') !== undefined) return value;
        void reply.header('content-type', 'application/json; charset=utf-8');
        return JSON.stringify(value);
      }),
    );
  }
}
