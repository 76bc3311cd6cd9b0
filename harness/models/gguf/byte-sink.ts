/** A growable little-endian byte buffer: GGUF is written front to back, so appending is all it needs. */
export class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  get size(): number {
    return this.length;
  }

  private reserve(extra: number): number {
    const at = this.length;
    if (at + extra > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < at + extra) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += extra;
    return at;
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
  }
  u64(v: bigint | number): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  bytes(data: Uint8Array): void {
    const at = this.reserve(data.length); // before touching this.buffer: reserve may replace it
    this.buffer.set(data, at);
  }
  /** GGUF strings: u64 byte length, then UTF-8 bytes, no terminator. */
  string(s: string): void {
    const encoded = new TextEncoder().encode(s);
    this.u64(encoded.length);
    this.bytes(encoded);
  }
  /** Zero bytes up to the next multiple of `alignment`. */
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.reserve(pad); // new capacity is zero-filled, and bytes are never rewritten
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
