/** What a benchmark reports, and the statistics it needs. */

export interface BenchResult {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** The goal, as written in the issue, when there is one. */
  readonly target?: string
}

export const percentile = (xs: ReadonlyArray<number>, p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}
