/** A fixed-size ring of samples, oldest first when read; no allocation per push. */
export class Ring {
  private readonly data: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    this.data[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** `value` pushed `count` times; past the capacity, more pushes would only overwrite each other. */
  repeat(value: number, count: number): void {
    for (let i = Math.min(count, this.capacity); i > 0; i--) this.push(value);
  }

  /** The newest sample; undefined while empty. */
  last(): number | undefined {
    return this.size === 0 ? undefined : this.data[(this.head - 1 + this.capacity) % this.capacity];
  }

  get length(): number {
    return this.size;
  }

  values(): number[] {
    const out = new Array<number>(this.size);
    const start = (this.head - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) out[i] = this.data[(start + i) % this.capacity]!;
    return out;
  }
}
