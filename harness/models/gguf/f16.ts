/**
 * IEEE half-precision bits for a float, rounding to nearest. Enough for block scales; values outside the
 * normal half range are rejected rather than silently flushed, because a scale of 0 or Inf changes the model.
 */
export function toF16Bits(value: number): number {
  if (value === 0) return Object.is(value, -0) ? 0x8000 : 0;
  const sign = value < 0 ? 0x8000 : 0;
  const abs = Math.abs(value);
  if (!Number.isFinite(abs) || abs < 2 ** -14 || abs > 65504) {
    throw new Error(`${value} is not a normal fp16 value (|x| must be in [2^-14, 65504] or 0)`);
  }
  let exponent = Math.floor(Math.log2(abs));
  let mantissa = Math.round((abs / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent += 1;
  }
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** The float an fp16 bit pattern stands for (normal and zero values only, matching `toF16Bits`). */
export function fromF16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
