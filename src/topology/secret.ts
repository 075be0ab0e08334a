// A password that cannot leak by accident: JSON, util.inspect, string concatenation and
// template literals all show a placeholder. Only reveal() gives the value, at the wire.

import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  equals(other: string): boolean {
    return this.#value === other;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
