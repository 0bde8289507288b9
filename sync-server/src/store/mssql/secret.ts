import { inspect } from 'node:util';

/**
 * A secret from the configuration (a SQL password). It prints as `[redacted]` everywhere a
 * value can leak by accident — JSON (pino logs), `util.inspect` (console, test diffs), string
 * interpolation — so only code that calls `reveal()` on purpose ever sees it.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
