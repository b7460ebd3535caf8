import { Inject } from '@nestjs/common';

/** Nest injection token of the validated `Settings` tree (an interface, so it needs a token). */
export const SETTINGS = Symbol.for('orrery.settings');

/** Shorthand for `@Inject(SETTINGS)` on a constructor parameter typed `Settings`. */
export const InjectSettings = (): ParameterDecorator => Inject(SETTINGS);
