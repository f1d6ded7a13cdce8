// Growable typed-array columns: numbers of millions of index entries kept at 4 or 8 bytes each, not as JS array slots.

type TypedColumn = Float64Array | Int32Array;

/** A typed array that grows by doubling as values are pushed. */
export class Column<T extends TypedColumn> {
  private values: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.values = make(1024);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = this.make(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  get(i: number): number {
    return this.values[i]!;
  }
}

/** A column of doubles (times, byte offsets). */
export const doubles = (): Column<Float64Array> => new Column((n) => new Float64Array(n));
/** A column of 32-bit integers (sizes, lengths, references). */
export const int32s = (): Column<Int32Array> => new Column((n) => new Int32Array(n));
