#!/usr/bin/env node
// The `orrery` command: `server start`, `server services start|ls`, `server database ...`.
import './instrument';
import 'reflect-metadata';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // Commands report their own failures in one line; anything reaching here is a bug.
    console.error(`orrery: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
