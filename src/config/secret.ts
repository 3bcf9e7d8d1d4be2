/**
 * A credential from a config file. It prints as `<secret>` everywhere (logs, JSON, `util.inspect`) unless the
 * caller asks for the value by name, so a secret reaches the wire only where that was decided on purpose.
 */
export const redacted = "<secret>"

export class Secret {
  readonly #value: string
  constructor(value: string) {
    this.#value = value
  }
  /** The real value: only for the mTLS listener and `allow_insecure_auth_secrets`. */
  reveal(): string {
    return this.#value
  }
  toString(): string {
    return redacted
  }
  toJSON(): string {
    return redacted
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return redacted
  }
}
