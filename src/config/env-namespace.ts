import { registerAs } from '@nestjs/config';
import type { ValidatedEnvironment } from './env.validation.js';

/**
 * A `registerAs` namespace whose values are mapped from the environment validated once per boot:
 * `configModule()` binds `from` to that one validation. Its `KEY` is the injection token, as usual.
 */
export type EnvNamespace<T extends object> = (() => T) & {
  readonly KEY: string;
  readonly token: string;
  readonly from: (env: ValidatedEnvironment) => T;
};

export function envNamespace<T extends object>(token: string, from: (env: ValidatedEnvironment) => T): EnvNamespace<T> {
  // Called on its own it would have to read process.env again: only configModule() builds the values.
  const unbound = registerAs(token, (): T => {
    throw new Error(`the '${token}' configuration is built by configModule(), from the environment it validates once`);
  });
  return Object.assign(unbound, { token, from }) as unknown as EnvNamespace<T>;
}
