/** Label name and value rules of Prometheus 3: UTF-8 names by default, the legacy charset on request. */
export type NameValidationScheme = "utf8" | "legacy"

const legacyName = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export const isValidLabelName = (name: string, scheme: NameValidationScheme = "utf8"): boolean =>
  scheme === "legacy" ? legacyName.test(name) : name.length > 0 && name.isWellFormed()

/** A value must be valid UTF-8: a string with a lone surrogate is not. */
export const isValidLabelValue = (value: string): boolean => value.isWellFormed()
