import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createEmptyTestDatabase, dropTestDatabase } from './test-database.fixture';
import { type DataSource } from 'typeorm';
import { DatabaseMigrator } from './database-migrator';
import { PersistenceModule } from './persistence.module';
import { DATA_SOURCE } from './persistence.tokens';

describe('PersistenceModule', () => {
  let url: string;

  beforeAll(async () => {
    url = await createEmptyTestDatabase();
  });

  afterAll(async () => {
    await dropTestDatabase(url);
  });

  it('provides an initialized, migrated DataSource and the migrator, and closes the DataSource on shutdown', async () => {
    @Module({
      imports: [PersistenceModule.forRoot({ kind: 'postgres', url, poolSize: 2, migrateOnStart: true })],
    })
    class RootModule {}

    const app = await NestFactory.createApplicationContext(RootModule, { logger: false });
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    expect(dataSource.isInitialized).toBe(true);
    expect(await app.get(DatabaseMigrator).status()).toMatchObject({ pending: [], unknown: [] });

    await app.close();

    expect(dataSource.isInitialized).toBe(false);
  });
});
