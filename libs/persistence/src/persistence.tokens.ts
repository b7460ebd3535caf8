/** Injection token of the initialized TypeORM DataSource provided by PersistenceModule. */
export const DATA_SOURCE = Symbol('orrery:persistence:DataSource');
