/**
 * A column indexed by slot, kept in pages of 64k entries. It grows by a page, never by reallocating: at a million
 * slots, a column grown by doubling is allocated three times over in fresh memory and copied each time (for the
 * store's two columns alone, 50 MB and 12k page faults where 16 MB suffice). A read costs one more indirection.
 */
const BITS = 16
const SIZE = 1 << BITS
const MASK = SIZE - 1

export interface Page<T> {
  [index: number]: T
}

export class Paged<T> {
  readonly #pages: Array<Page<T>> = []
  readonly #page: (size: number) => Page<T>

  /** `page` makes a page of `size` entries, each the column's empty value. */
  constructor(page: (size: number) => Page<T>) {
    this.#page = page
  }

  get(slot: number): T {
    return this.#pages[slot >>> BITS]![slot & MASK]!
  }

  set(slot: number, value: T): void {
    this.#pages[slot >>> BITS]![slot & MASK] = value
  }

  /** Every entry set to `value`. */
  fill(value: T): void {
    for (const page of this.#pages) for (let i = 0; i < SIZE; i++) page[i] = value
  }

  /** Room for the slots below `size`. */
  reserve(size: number): void {
    while (this.#pages.length * SIZE < size) this.#pages.push(this.#page(SIZE))
  }
}

/** A column of references, `undefined` where unset. */
export const refs = <T>(): Paged<T | undefined> => new Paged((n) => new Array<T | undefined>(n).fill(undefined))

/** A column of doubles, 0 where unset. */
export const float64 = (): Paged<number> => new Paged((n) => new Float64Array(n))

/** A column of 32-bit integers, 0 where unset. */
export const int32 = (): Paged<number> => new Paged((n) => new Int32Array(n))

/** A column of bytes, 0 where unset. */
export const uint8 = (): Paged<number> => new Paged((n) => new Uint8Array(n))
