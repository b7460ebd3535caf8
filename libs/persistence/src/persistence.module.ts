import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { DatabaseMigrator } from './database-migrator';
import { type DatabaseOptions } from './database-options';
import { DATA_SOURCE } from './persistence.tokens';

export type PersistenceModuleOptions = DatabaseOptions & {
  /** Upgrade to head before anything else uses the DataSource (same advisory-locked path as the CLI). */
  migrateOnStart?: boolean;
  /** Statement timeout for migrate-on-start, in seconds (0: none). */
  migrationStatementTimeoutSeconds?: number;
};

/**
 * Provides the initialized DataSource (token DATA_SOURCE) and a DatabaseMigrator; destroys the
 * DataSource on application shutdown. Global, because every feature lib's repositories need it.
 */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('Persistence');

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        {
          provide: DATA_SOURCE,
          useFactory: async (): Promise<DataSource> => {
            const dataSource = createDataSource(options);
            await dataSource.initialize();
            if (options.migrateOnStart === true) {
              await new DatabaseMigrator(dataSource, {
                onProgress: (message) => PersistenceModule.logger.log(message),
                statementTimeoutSeconds: options.migrationStatementTimeoutSeconds,
              }).upgrade();
            }
            return dataSource;
          },
        },
        {
          provide: DatabaseMigrator,
          inject: [DATA_SOURCE],
          useFactory: (dataSource: DataSource) =>
            new DatabaseMigrator(dataSource, {
              onProgress: (message) => PersistenceModule.logger.log(message),
            }),
        },
      ],
      exports: [DATA_SOURCE, DatabaseMigrator],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
