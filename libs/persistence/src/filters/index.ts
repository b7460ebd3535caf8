export * from './criteria.where';
export * from './flow-run-list.explain';
export * from './flow-run-list.query';
export * from './list.queries';
export * from './order-by';
export * from './sql-clause';
export * from './sql-parameters';
