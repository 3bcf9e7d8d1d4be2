/**
 * Numbers that mark what one update touched: each update takes the next, and writes it into a column by slot for
 * every slot it touches, so "touched already?" is one read, where a map cost a lookup and an insertion per slot.
 * Columns start at 0, which no update takes. Numbers are 32-bit: after 2^31 - 2 updates (weeks, for a process that
 * updates many jobs a second) they start again at 1, and the column is cleared first, so that no slot keeps a
 * number an update will take again.
 */
const LAST = 2 ** 31 - 2

/** The number after `mark`, clearing the column (`clear`) when the numbers start again. */
export const next = (mark: number, clear: () => void): number => {
  if (mark < LAST) return mark + 1
  clear()
  return 1
}
