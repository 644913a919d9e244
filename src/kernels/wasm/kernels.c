// Full-size depth post-processing in WebAssembly SIMD: the bicubic upsample with min/max, the 16-bit PNG rows,
// the 16-bit values and the colour-mapped levels; and the cv2-cubic network input. Bit-exact with the TypeScript
// versions next to their bindings in src/kernels/ (upsample-bicubic.ts, depth-scale.ts, png16-rows.ts,
// resize-cubic.ts; and pipeline/render/colormap.ts, pipeline/preprocess/normalize.ts),
// which stay the reference; test/kernels/wasm-kernels.test.ts compares the two. Built by tools/build-wasm.sh into
// kernels.wasm.ts; no libc, no allocator: the caller lays the buffers out in linear memory.
//
// WebAssembly has no fused multiply-add, so fmaf(a, b, c) is computed in double: a·b is exact there, and rounding
// the double sum to float32 is the correctly rounded result unless that sum lies exactly half-way between two
// float32 values (the only case where rounding twice can differ from rounding once). Vectors where any lane hits
// that case, or a result in float32's subnormal range, are recomputed lane by lane with the exact scalar
// algorithm; on depth maps that is rare.

#include <stdint.h>
#include <wasm_simd128.h>

typedef float f32;
typedef double f64;

// ---- scalar, exact (the algorithm of fmaf() in upsample.ts) ----

static inline f32 fmaf_exact(f32 a, f32 b, f32 c) {
  f64 p = (f64)a * (f64)b;
  f64 s = p + (f64)c;
  f32 r = (f32)s;
  f64 d = s - (f64)r;
  if (d == 0) return r;
  f64 other = (f64)r + 2 * d;
  if ((f64)(f32)other != other) return r;
  f64 bv = s - p;
  f64 error = (p - (s - bv)) + ((f64)c - bv);
  if (error == 0) return r;
  f32 o = (f32)other;
  if (error > 0) return o > r ? o : r;
  return o < r ? o : r;
}

// PyTorch's four-tap sum: fma(v3, w3, fma(v2, w2, fma(v0, w0, v1·w1))).
static inline f32 sum4_scalar(f32 v0, f32 w0, f32 v1, f32 w1, f32 v2, f32 w2, f32 v3, f32 w3) {
  return fmaf_exact(v3, w3, fmaf_exact(v2, w2, fmaf_exact(v0, w0, v1 * w1)));
}

// ---- vector: four lanes, with a flag for lanes the double sum may have rounded wrongly ----

static inline v128_t high_half(v128_t v) { return wasm_i32x4_shuffle(v, v, 2, 3, 2, 3); }

// Lanes of s (double) that need the exact path: a float32 half-way pattern (the 29 bits below float32's last
// fraction bit are 1000…0), or a non-zero magnitude below 2^-125 (float32 subnormals round at other bits).
static inline v128_t suspicious(v128_t s) {
  v128_t low = wasm_v128_and(s, wasm_i64x2_splat(0x1FFFFFFF));
  v128_t halfway = wasm_i64x2_eq(low, wasm_i64x2_splat(0x10000000));
  v128_t mag = wasm_f64x2_abs(s);
  v128_t tiny = wasm_v128_and(wasm_f64x2_lt(mag, wasm_f64x2_splat(0x1p-125)), wasm_f64x2_ne(mag, wasm_f64x2_splat(0)));
  return wasm_v128_or(halfway, tiny);
}

static inline v128_t fma4(v128_t a, v128_t b, v128_t c, v128_t *flag) {
  v128_t slo = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(a), wasm_f64x2_promote_low_f32x4(b)), wasm_f64x2_promote_low_f32x4(c));
  v128_t shi = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(high_half(a)), wasm_f64x2_promote_low_f32x4(high_half(b))),
                              wasm_f64x2_promote_low_f32x4(high_half(c)));
  *flag = wasm_v128_or(*flag, wasm_v128_or(suspicious(slo), suspicious(shi)));
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(slo), wasm_f32x4_demote_f64x2_zero(shi), 0, 1, 4, 5);
}

static inline v128_t sum4_vec(v128_t v0, v128_t w0, v128_t v1, v128_t w1, v128_t v2, v128_t w2, v128_t v3, v128_t w3, v128_t *flag) {
  return fma4(v3, w3, fma4(v2, w2, fma4(v0, w0, wasm_f32x4_mul(v1, w1), flag), flag), flag);
}

// ---- bicubic upsample, align_corners=False ----

// Tap tables, planar: for output column x, source columns ci[k·dw + x] with weights cw[k·dw + x], k = 0..3;
// likewise rows. cache holds four rows of dw floats (source rows interpolated to the output width).
typedef struct {
  const f32 *src;
  int32_t sw, sh, dw, dh;
  const int32_t *ci;
  const f32 *cw;
  const int32_t *ri;
  const f32 *rw;
  f32 *cache;
  int32_t cached[4];
} Plan;

static void horizontal(Plan *p, int32_t sy, f32 *line) {
  const f32 *row = p->src + (int64_t)sy * p->sw;
  const int32_t dw = p->dw;
  const int32_t *i0 = p->ci, *i1 = p->ci + dw, *i2 = p->ci + 2 * dw, *i3 = p->ci + 3 * dw;
  const f32 *w0 = p->cw, *w1 = p->cw + dw, *w2 = p->cw + 2 * dw, *w3 = p->cw + 3 * dw;
  int32_t x = 0;
  for (; x + 4 <= dw; x += 4) {
    v128_t v0 = wasm_f32x4_make(row[i0[x]], row[i0[x + 1]], row[i0[x + 2]], row[i0[x + 3]]);
    v128_t v1 = wasm_f32x4_make(row[i1[x]], row[i1[x + 1]], row[i1[x + 2]], row[i1[x + 3]]);
    v128_t v2 = wasm_f32x4_make(row[i2[x]], row[i2[x + 1]], row[i2[x + 2]], row[i2[x + 3]]);
    v128_t v3 = wasm_f32x4_make(row[i3[x]], row[i3[x + 1]], row[i3[x + 2]], row[i3[x + 3]]);
    v128_t flag = wasm_i32x4_splat(0);
    v128_t r = sum4_vec(v0, wasm_v128_load(w0 + x), v1, wasm_v128_load(w1 + x), v2, wasm_v128_load(w2 + x), v3, wasm_v128_load(w3 + x), &flag);
    if (wasm_v128_any_true(flag)) {
      for (int32_t k = x; k < x + 4; k++) line[k] = sum4_scalar(row[i0[k]], w0[k], row[i1[k]], w1[k], row[i2[k]], w2[k], row[i3[k]], w3[k]);
    } else {
      wasm_v128_store(line + x, r);
    }
  }
  for (; x < dw; x++) line[x] = sum4_scalar(row[i0[x]], w0[x], row[i1[x]], w1[x], row[i2[x]], w2[x], row[i3[x]], w3[x]);
}

static const f32 *source_row(Plan *p, int32_t sy) {
  int32_t slot = sy & 3;
  f32 *line = p->cache + (int64_t)slot * p->dw;
  if (p->cached[slot] != sy) {
    horizontal(p, sy, line);
    p->cached[slot] = sy;
  }
  return line;
}

// min/max of the lanes seen so far; NaN lanes never win (pmin/pmax keep the accumulator), infinities do and
// the caller then rescans for the finite range.
static f32 range_min, range_max;

__attribute__((export_name("range_min"))) f32 get_range_min(void) { return range_min; }
__attribute__((export_name("range_max"))) f32 get_range_max(void) { return range_max; }

// F.interpolate(src, size=(dh, dw), mode='bicubic', align_corners=False) into out (dh·dw floats), with min/max.
__attribute__((export_name("upsample_bicubic")))
void upsample_bicubic(const f32 *src, int32_t sw, int32_t sh, int32_t dw, int32_t dh, const int32_t *ci, const f32 *cw, const int32_t *ri,
                      const f32 *rw, f32 *cache, f32 *out) {
  Plan p = {src, sw, sh, dw, dh, ci, cw, ri, rw, cache, {-1, -1, -1, -1}};
  v128_t vmin = wasm_f32x4_splat(__builtin_inff()), vmax = wasm_f32x4_splat(-__builtin_inff());
  f32 smin = __builtin_inff(), smax = -__builtin_inff();
  for (int32_t y = 0; y < dh; y++) {
    const f32 *r0 = source_row(&p, ri[y]), *r1 = source_row(&p, ri[dh + y]), *r2 = source_row(&p, ri[2 * dh + y]), *r3 = source_row(&p, ri[3 * dh + y]);
    const f32 a = rw[y], b = rw[dh + y], c = rw[2 * dh + y], d = rw[3 * dh + y];
    const v128_t w0 = wasm_f32x4_splat(a), w1 = wasm_f32x4_splat(b), w2 = wasm_f32x4_splat(c), w3 = wasm_f32x4_splat(d);
    f32 *line = out + (int64_t)y * dw;
    int32_t x = 0;
    for (; x + 4 <= dw; x += 4) {
      v128_t flag = wasm_i32x4_splat(0);
      v128_t v = sum4_vec(wasm_v128_load(r0 + x), w0, wasm_v128_load(r1 + x), w1, wasm_v128_load(r2 + x), w2, wasm_v128_load(r3 + x), w3, &flag);
      if (wasm_v128_any_true(flag)) {
        for (int32_t k = x; k < x + 4; k++) line[k] = sum4_scalar(r0[k], a, r1[k], b, r2[k], c, r3[k], d);
        v = wasm_v128_load(line + x);
      } else {
        wasm_v128_store(line + x, v);
      }
      vmin = wasm_f32x4_pmin(vmin, v);
      vmax = wasm_f32x4_pmax(vmax, v);
    }
    for (; x < dw; x++) {
      f32 v = sum4_scalar(r0[x], a, r1[x], b, r2[x], c, r3[x], d);
      line[x] = v;
      if (v < smin) smin = v;
      if (v > smax) smax = v;
    }
  }
  for (int k = 0; k < 4; k++) {
    f32 lo = ((f32 *)&vmin)[k], hi = ((f32 *)&vmax)[k];
    if (lo < smin) smin = lo;
    if (hi > smax) smax = hi;
  }
  range_min = smin;
  range_max = smax;
}

// ---- the reference's min-max scaling to integer levels: 16-bit PNG rows, 16-bit values, colour ----

// Per value, with levels 65535 (16-bit) or 255 (8-bit): x = f32(f32(levels · f32(d − lo)) / span), truncated as
// astype does, below 0 → 0, at or above levels → levels for finite d, non-finite d → 0 (kernels/depth-scale.ts).
// span ≤ FLOAT64_EPS (the caller's test) → all values 0.
static inline v128_t scale4(v128_t d, v128_t lo, v128_t span, v128_t zeroAll, f32 levels) {
  v128_t x = wasm_f32x4_div(wasm_f32x4_mul(wasm_f32x4_splat(levels), wasm_f32x4_sub(d, lo)), span);
  v128_t t = wasm_u32x4_min(wasm_u32x4_trunc_sat_f32x4(x), wasm_i32x4_splat((int32_t)levels));
  v128_t finite = wasm_f32x4_eq(wasm_f32x4_sub(d, d), wasm_f32x4_splat(0));
  return wasm_v128_andnot(wasm_v128_and(t, finite), zeroAll);
}

static inline uint32_t scale1(f32 d, f32 lo, f32 span, int zero, f32 levels) {
  if (zero) return 0;
  f32 x = (levels * (d - lo)) / span;
  if (x < levels) return x > 0 ? (uint32_t)x : 0;
  return d - d == 0 ? (uint32_t)levels : 0;
}

// The 16-bit values, native order, n of them (toUint16Reference).
__attribute__((export_name("depth_u16")))
void depth_u16(const f32 *depth, int32_t n, f32 lo, f32 span, int32_t zero, uint16_t *out) {
  const v128_t vlo = wasm_f32x4_splat(lo), vspan = wasm_f32x4_splat(span), vzero = wasm_i32x4_splat(zero ? -1 : 0);
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v128_t a = scale4(wasm_v128_load(depth + i), vlo, vspan, vzero, 65535.0f);
    v128_t b = scale4(wasm_v128_load(depth + i + 4), vlo, vspan, vzero, 65535.0f);
    wasm_v128_store(out + i, wasm_u16x8_narrow_i32x4(a, b));
  }
  for (; i < n; i++) out[i] = (uint16_t)scale1(depth[i], lo, span, zero, 65535.0f);
}

// Each value's 8-bit level (toUint8Reference) through a 256-entry RGB table (render/colormap.ts applyColormap):
// 3n bytes, interleaved.
static inline void put_rgb(uint8_t *o, const uint8_t *lut, uint32_t level) {
  const uint8_t *c = lut + 3 * level;
  o[0] = c[0];
  o[1] = c[1];
  o[2] = c[2];
}

__attribute__((export_name("depth_rgb")))
void depth_rgb(const f32 *depth, int32_t n, f32 lo, f32 span, int32_t zero, const uint8_t *lut, uint8_t *out) {
  const v128_t vlo = wasm_f32x4_splat(lo), vspan = wasm_f32x4_splat(span), vzero = wasm_i32x4_splat(zero ? -1 : 0);
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t v = scale4(wasm_v128_load(depth + i), vlo, vspan, vzero, 255.0f);
    uint8_t *o = out + 3 * (int64_t)i;
    put_rgb(o, lut, wasm_u32x4_extract_lane(v, 0));
    put_rgb(o + 3, lut, wasm_u32x4_extract_lane(v, 1));
    put_rgb(o + 6, lut, wasm_u32x4_extract_lane(v, 2));
    put_rgb(o + 9, lut, wasm_u32x4_extract_lane(v, 3));
  }
  for (; i < n; i++) put_rgb(out + 3 * (int64_t)i, lut, scale1(depth[i], lo, span, zero, 255.0f));
}

// The 16-bit PNG rows: the values big-endian with PNG's Sub filter (each byte minus the byte two before it, mod
// 256), a filter-type byte 1 before each row: (1 + 2w)·h bytes.
__attribute__((export_name("png16_rows")))
void png16_rows(const f32 *depth, int32_t w, int32_t h, f32 lo, f32 span, int32_t zero, uint8_t *out) {
  const v128_t vlo = wasm_f32x4_splat(lo), vspan = wasm_f32x4_splat(span), vzero = wasm_i32x4_splat(zero ? -1 : 0);
  for (int32_t y = 0; y < h; y++) {
    const f32 *row = depth + (int64_t)y * w;
    uint8_t *o = out + (int64_t)y * (1 + 2 * (int64_t)w);
    *o++ = 1;
    v128_t prev = wasm_i32x4_splat(0); // big-endian bytes of the previous eight values; the left of x = 0 is 0
    int32_t x = 0;
    for (; x + 8 <= w; x += 8) {
      v128_t a = scale4(wasm_v128_load(row + x), vlo, vspan, vzero, 65535.0f);
      v128_t b = scale4(wasm_v128_load(row + x + 4), vlo, vspan, vzero, 65535.0f);
      v128_t v = wasm_u16x8_narrow_i32x4(a, b);
      v128_t be = wasm_i8x16_shuffle(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
      v128_t left = wasm_i8x16_shuffle(prev, be, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
      wasm_v128_store(o + 2 * x, wasm_i8x16_sub(be, left));
      prev = be;
    }
    uint16_t left = x > 0 ? (uint16_t)(wasm_u8x16_extract_lane(prev, 14) << 8 | wasm_u8x16_extract_lane(prev, 15)) : 0;
    for (; x < w; x++) {
      uint16_t v = (uint16_t)scale1(row[x], lo, span, zero, 65535.0f);
      o[2 * x] = (uint8_t)((v >> 8) - (left >> 8));
      o[2 * x + 1] = (uint8_t)(v - left);
      left = v;
    }
  }
}

// ---- the network input: OpenCV INTER_CUBIC on MiDaS's float64 image, then NormalizeImage, planar float32 ----
// (kernels/resize-cubic.ts and preprocess/normalize.ts, which stay the reference.) Every step is a float64 multiply or
// add in the order the TypeScript path evaluates it, and the one rounding to float32 is f32.demote_f64: the same
// bits. The caller copies the source rows each output row needs into four slots and calls cubic_row per slot.

// byte / 255.0 in double for every byte value (MiDaS divides; multiplying by 1/255 differs for 24 values).
__attribute__((export_name("cubic_unit_table")))
void cubic_unit_table(f64 *unit) {
  for (int32_t v = 0; v < 256; v++) unit[v] = (f64)v / 255.0;
}

// Horizontal pass of one source row of bytes: line[i] = Σ_k unit[row[off[4i + k]]] · w[4i + k], k = 0..3 left to
// right, for n = dstWidth · channels values.
__attribute__((export_name("cubic_row")))
void cubic_row(const uint8_t *row, int32_t n, const int32_t *off, const f64 *w, const f64 *unit, f64 *line) {
  for (int32_t i = 0, e = 0; i < n; i++, e += 4) {
    f64 s = unit[row[off[e]]] * w[e];
    s = s + unit[row[off[e + 1]]] * w[e + 1];
    s = s + unit[row[off[e + 2]]] * w[e + 2];
    s = s + unit[row[off[e + 3]]] * w[e + 3];
    line[i] = s;
  }
}

// Vertical pass of output row y from its four horizontal lines (HWC, 3 channels), then (v − mean[c]) / std[c]
// rounded once to float32 into channel c's plane: out[c·plane + y·dw + x].
__attribute__((export_name("cubic_column")))
void cubic_column(const f64 *r0, const f64 *r1, const f64 *r2, const f64 *r3, f64 b0, f64 b1, f64 b2, f64 b3, int32_t dw, int32_t y,
                  int32_t plane, const f64 *mean, const f64 *std, f32 *out) {
  f32 *o0 = out + (int64_t)y * dw, *o1 = o0 + plane, *o2 = o1 + plane;
  const f64 m0 = mean[0], m1 = mean[1], m2 = mean[2], s0 = std[0], s1 = std[1], s2 = std[2];
  for (int32_t x = 0, i = 0; x < dw; x++, i += 3) {
    const f64 v0 = r0[i] * b0 + r1[i] * b1 + r2[i] * b2 + r3[i] * b3;
    const f64 v1 = r0[i + 1] * b0 + r1[i + 1] * b1 + r2[i + 1] * b2 + r3[i + 1] * b3;
    const f64 v2 = r0[i + 2] * b0 + r1[i + 2] * b1 + r2[i + 2] * b2 + r3[i + 2] * b3;
    o0[x] = (f32)((v0 - m0) / s0);
    o1[x] = (f32)((v1 - m1) / s1);
    o2[x] = (f32)((v2 - m2) / s2);
  }
}
