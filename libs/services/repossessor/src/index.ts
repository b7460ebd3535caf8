export * from './repossessor.module';
export * from './repossessor.service';
