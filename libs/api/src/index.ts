export * from './api-options';
export * from './api.module';
export * from './http/create-http-application';
export * from './http/error-response';
export * from './http/prefect-http.error';
export * from './http/request-validation.error';
export * from './http/validation.pipe';
export * from './root/ports';
