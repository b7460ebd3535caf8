// scheduler: creates scheduled flow runs for deployments (both scheduler loops).
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['scheduler'] });
