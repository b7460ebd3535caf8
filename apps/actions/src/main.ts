// actions: runs the actions of automations that fired (consumer group `actions` on the `actions` stream).
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['actions'] });
