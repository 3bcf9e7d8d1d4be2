/**
 * Growing arrays that a batch fills with many entries. At a million entries, growing an array by `push`
 * reallocates it a dozen times, each time in fresh memory: filling two such arrays took 340 ms and 21k page faults
 * on the benchmark machine, against 60 ms and 4k for arrays sized once. So a batch that brings many entries sizes
 * its arrays first, once, and a lone entry doubles them. (Columns that grow batch after batch are paged instead:
 * paged.ts.)
 */

/** `array` with room for `size` entries: longer entries are `fill`, so the array stays packed. */
export const reserve = <T>(array: Array<T>, size: number, fill: T): void => {
  const length = array.length
  if (length >= size) return
  array.length = Math.max(size, length * 2)
  array.fill(fill, length)
}

/** `array`, or a copy of it with room for `size` entries (zeros after). */
export const grown = <A extends Float64Array | Int32Array | Uint8Array>(array: A, size: number, make: (n: number) => A): A => {
  if (array.length >= size) return array
  const next = make(Math.max(array.length * 2, size))
  next.set(array)
  return next
}
