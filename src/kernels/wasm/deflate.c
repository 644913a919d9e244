// A zlib stream (RFC 1950/1951) for the 16-bit PNG rows, with the matches zlib's Z_RLE strategy looks for (runs of
// one byte value, distance 1) and, per block of at most 65535 input bytes, a dynamic Huffman code built for that
// block, or the bytes stored as they are when that is smaller. Depth rows after the Sub filter are mostly
// literals, which zlib level 1 codes at about 140 MB/s; here the scan for runs looks at 16 bytes at once and a
// literal costs a table lookup and a shift. Compiled with kernels.c by tools/build-wasm.sh; the caller lays out
// the buffers (see deflate_bound). test/kernels/deflate.wasm.test.ts inflates what it writes with Node's zlib.

#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BLOCK 65535u   // input bytes per block: a block that does not compress becomes one stored block
#define SYMBOLS 286    // literal/length alphabet: 256 literals, end of block, 29 length codes
#define END_OF_BLOCK 256
#define MAX_BITS 15    // longest literal/length code
#define MAX_CL_BITS 7  // longest code-length code
#define MAX_RUN 258

// ---- tables ----

static u16 length_symbol[MAX_RUN + 1]; // run length 3..258 → symbol 257..285
static u8 length_extra_bits[MAX_RUN + 1];
static u16 length_extra[MAX_RUN + 1]; // the value of those bits
static int tables_ready;

static void init_tables(void) {
  u32 base = 3;
  for (u32 s = 257; s < 285; s++) {
    u32 bits = s < 265 ? 0 : (s - 261) / 4;
    for (u32 v = 0; v < (1u << bits) && base + v < MAX_RUN; v++) {
      length_symbol[base + v] = (u16)s;
      length_extra_bits[base + v] = (u8)bits;
      length_extra[base + v] = (u16)v;
    }
    base += 1u << bits;
  }
  length_symbol[MAX_RUN] = 285; // 258 has its own symbol (symbol 284 with extra 31 is not a valid length)
  length_extra_bits[MAX_RUN] = 0;
  length_extra[MAX_RUN] = 0;
  tables_ready = 1;
}

// ---- bit writer: bits leave least significant first; flushing stores 8 bytes and keeps the odd bits ----

typedef struct {
  u8 *out;
  u64 bits;
  u32 count; // at most 7 after a flush; callers add at most 56 bits between flushes
} Writer;

static inline void put(Writer *w, u32 value, u32 n) {
  w->bits |= (u64)value << w->count;
  w->count += n;
}

static inline void flush(Writer *w) {
  __builtin_memcpy(w->out, &w->bits, 8);
  w->out += w->count >> 3;
  w->bits >>= w->count & ~7u;
  w->count &= 7;
}

// Pads to a byte boundary with zero bits.
static inline void align_byte(Writer *w) {
  flush(w);
  if (w->count > 0) {
    w->count = 8;
    flush(w);
  }
}

// ---- Huffman code lengths ----

static u32 sort_key[SYMBOLS];        // frequency << 9 | symbol, ascending
static u32 node_weight[2 * SYMBOLS];
static u16 node_parent[2 * SYMBOLS];
static u16 depth_count[2 * SYMBOLS];

static void sort_keys(u32 *a, u32 n) { // heap sort, ascending
  for (u32 start = n / 2; start-- > 0;) {
    for (u32 root = start;;) {
      u32 child = 2 * root + 1;
      if (child >= n) break;
      if (child + 1 < n && a[child + 1] > a[child]) child++;
      if (a[root] >= a[child]) break;
      u32 t = a[root]; a[root] = a[child]; a[child] = t;
      root = child;
    }
  }
  for (u32 end = n; end-- > 1;) {
    u32 t = a[0]; a[0] = a[end]; a[end] = t;
    for (u32 root = 0;;) {
      u32 child = 2 * root + 1;
      if (child >= end) break;
      if (child + 1 < end && a[child + 1] > a[child]) child++;
      if (a[root] >= a[child]) break;
      t = a[root]; a[root] = a[child]; a[child] = t;
      root = child;
    }
  }
}

// Lengths of a Huffman code for freq[0..n) with none longer than `limit`. Symbols counted 0 times get 0, except
// that at least two symbols always get a code (the lowest unused ones), so that every code is complete.
static void huffman_lengths(const u32 *freq, u32 n, u32 limit, u8 *lengths) {
  u32 m = 0;
  for (u32 s = 0; s < n; s++) {
    lengths[s] = 0;
    if (freq[s] > 0) sort_key[m++] = freq[s] << 9 | s;
  }
  for (u32 s = 0; m < 2; s++) {
    if (freq[s] == 0) sort_key[m++] = s; // weight 0
  }
  sort_keys(sort_key, m);
  // Two queues: the sorted leaves 0..m-1 and the internal nodes m.., created in order of weight.
  for (u32 i = 0; i < m; i++) node_weight[i] = sort_key[i] >> 9;
  u32 leaf = 0, inner = m, next = m;
  while (next < 2 * m - 1) {
    u32 pick[2];
    for (u32 k = 0; k < 2; k++) {
      if (leaf < m && (inner >= next || node_weight[leaf] <= node_weight[inner])) pick[k] = leaf++;
      else pick[k] = inner++;
    }
    node_weight[next] = node_weight[pick[0]] + node_weight[pick[1]];
    node_parent[pick[0]] = node_parent[pick[1]] = (u16)next;
    next++;
  }
  // Depths from the root down (a parent's index is above its children's), counted per depth.
  u32 root = 2 * m - 2, deepest = 0;
  for (u32 d = 0; d < 2 * m; d++) depth_count[d] = 0;
  node_weight[root] = 0; // reused: depth
  for (u32 i = root; i-- > 0;) {
    u32 d = node_weight[node_parent[i]] + 1;
    node_weight[i] = d;
    if (i < m) {
      depth_count[d]++;
      if (d > deepest) deepest = d;
    }
  }
  // Too deep: move pairs of the deepest leaves up, keeping the code complete (the sum of 2^-length stays 1). Two
  // leaves at depth i leave it; one takes their parent's place at i - 1, and a leaf at j < i - 1 becomes the
  // parent of itself and the other, both at j + 1.
  for (u32 i = deepest; i > limit; i--) {
    while (depth_count[i] > 0) {
      u32 j = i - 2;
      while (depth_count[j] == 0) j--;
      depth_count[i] -= 2;
      depth_count[i - 1] += 1;
      depth_count[j + 1] += 2;
      depth_count[j] -= 1;
    }
  }
  if (deepest > limit) deepest = limit;
  // The least frequent symbols take the longest codes.
  u32 k = 0;
  for (u32 d = deepest; d > 0; d--) {
    for (u32 c = depth_count[d]; c > 0; c--) lengths[sort_key[k++] & 511] = (u8)d;
  }
}

static u32 reverse_bits(u32 code, u32 n) {
  u32 r = 0;
  for (u32 i = 0; i < n; i++, code >>= 1) r = r << 1 | (code & 1);
  return r;
}

// Canonical codes (RFC 1951 3.2.2), bit-reversed for the writer: code | length << 16 per symbol.
static void canonical_codes(const u8 *lengths, u32 n, u32 *codes) {
  u32 count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1];
  for (u32 s = 0; s < n; s++) count[lengths[s]]++;
  count[0] = 0;
  u32 code = 0;
  for (u32 b = 1; b <= MAX_BITS; b++) {
    code = (code + count[b - 1]) << 1;
    next[b] = code;
  }
  for (u32 s = 0; s < n; s++) {
    u32 len = lengths[s];
    codes[s] = len ? reverse_bits(next[len]++, len) | len << 16 : 0;
  }
}

// ---- one block ----

static u32 freq[SYMBOLS];
static u32 literal_count[4][256]; // four tables, so that repeated bytes do not wait on each other's increment
static u32 run_bits;               // extra bits and distance codes of the block's runs
static u8 lengths[SYMBOLS];
static u32 codes[SYMBOLS];

// The two distance codes: 0 (distance 1, the only one used) and 1, both one bit long, so the code is complete.
#define DISTANCE_CODES 2
static const u8 distance_lengths[DISTANCE_CODES] = {1, 1};

// Code lengths run-length coded (RFC 1951 3.2.7): symbol | extra << 8 per token.
static u16 cl_tokens[SYMBOLS + DISTANCE_CODES];
static u32 cl_token_count;
static u32 cl_freq[19];
static u8 cl_lengths[19];
static u32 cl_codes[19];
static const u8 cl_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
static const u8 cl_extra_bits[19] = {[16] = 2, [17] = 3, [18] = 7};

static void cl_token(u32 symbol, u32 extra) {
  cl_tokens[cl_token_count++] = (u16)(symbol | extra << 8);
  cl_freq[symbol]++;
}

static void tokenize_lengths(const u8 *lens, u32 n) {
  for (u32 i = 0; i < n;) {
    u32 len = lens[i], run = 1;
    while (i + run < n && lens[i + run] == len) run++;
    i += run;
    if (len == 0) {
      for (; run >= 11; run -= run < 138 ? run : 138) cl_token(18, (run < 138 ? run : 138) - 11);
      if (run >= 3) {
        cl_token(17, run - 3);
        run = 0;
      }
      for (; run > 0; run--) cl_token(0, 0);
    } else {
      cl_token(len, 0);
      run--;
      for (; run >= 3; run -= run < 6 ? run : 6) cl_token(16, (run < 6 ? run : 6) - 3);
      for (; run > 0; run--) cl_token(len, 0);
    }
  }
}

// Bit i set: a run starts at p + i, that is in[p+i-1] = in[p+i] = in[p+i+1] = in[p+i+2]. Reads in[p-1 .. p+17].
static inline u32 run_starts(const u8 *in, u32 p) {
  v128_t a = wasm_v128_load(in + p - 1), b = wasm_v128_load(in + p);
  v128_t c = wasm_v128_load(in + p + 1), d = wasm_v128_load(in + p + 2);
  return wasm_i8x16_bitmask(wasm_v128_and(wasm_v128_and(wasm_i8x16_eq(a, b), wasm_i8x16_eq(b, c)), wasm_i8x16_eq(c, d)));
}

// Length of the run of in[p-1] starting at p (3 or more), within the block and 258.
static inline u32 run_length(const u8 *in, u32 p, u32 end) {
  u32 max = end - p < MAX_RUN ? end - p : MAX_RUN, n = 3;
  v128_t c = wasm_i8x16_splat((int8_t)in[p - 1]);
  while (n + 16 <= max) {
    u32 same = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(in + p + n), c));
    if (same != 0xffff) return n + (u32)__builtin_ctz(~same);
    n += 16;
  }
  while (n < max && in[p + n] == in[p - 1]) n++;
  return n;
}

static inline u32 run_at(const u8 *in, u32 p, u32 end) {
  if (p == 0 || p + 2 >= end) return 0;
  u8 c = in[p - 1];
  return in[p] == c && in[p + 1] == c && in[p + 2] == c ? run_length(in, p, end) : 0;
}

// The block's parse (as zlib's deflate_rle: a run of three or more wherever one starts, else a literal), as
// segments of literals followed by a run: literals << 9 | run length (0 for none, only in the last segment).
static u32 segments[BLOCK + 1];
static u32 segment_count;

static inline void end_segment(u32 literals, u32 run) {
  segments[segment_count++] = literals << 9 | run;
  if (run) {
    freq[length_symbol[run]]++;
    run_bits += length_extra_bits[run] + 1;
  }
}

// Parses in[p..end) into segments, counting symbol frequencies.
static void parse(const u8 *in, u32 p, u32 end) {
  segment_count = 0;
  u32 literals = 0;
  while (p < end) {
    if (p > 0 && p + 18 <= end) {
      u32 starts = run_starts(in, p);
      if (!starts) {
        for (u32 i = 0; i < 16; i += 4) {
          literal_count[0][in[p + i]]++;
          literal_count[1][in[p + i + 1]]++;
          literal_count[2][in[p + i + 2]]++;
          literal_count[3][in[p + i + 3]]++;
        }
        p += 16;
        literals += 16;
        continue;
      }
      u32 k = (u32)__builtin_ctz(starts);
      for (u32 i = 0; i < k; i++) literal_count[i & 3][in[p + i]]++;
      p += k;
      u32 n = run_length(in, p, end);
      end_segment(literals + k, n);
      literals = 0;
      p += n;
      continue;
    }
    u32 n = run_at(in, p, end);
    if (n) {
      end_segment(literals, n);
      literals = 0;
      p += n;
    } else {
      literal_count[0][in[p]]++;
      literals++;
      p++;
    }
  }
  end_segment(literals, 0);
}

static inline void put_literal(Writer *w, u8 byte) {
  u32 e = codes[byte];
  put(w, e & 0xffff, e >> 16);
}

static inline void put_run(Writer *w, u32 n) {
  u32 e = codes[length_symbol[n]];
  put(w, e & 0xffff, e >> 16);
  put(w, length_extra[n], length_extra_bits[n]);
  put(w, 0, 1); // distance code 0: distance 1
  flush(w);
}

// Writes the parsed block with the block's codes.
static void put_segments(Writer *w, const u8 *in) {
  for (u32 s = 0; s < segment_count; s++) {
    u32 literals = segments[s] >> 9, run = segments[s] & 511;
    u32 i = 0;
    for (; i + 3 <= literals; i += 3) {
      put_literal(w, in[i]);
      put_literal(w, in[i + 1]);
      put_literal(w, in[i + 2]);
      flush(w);
    }
    for (; i < literals; i++) put_literal(w, in[i]);
    flush(w);
    if (run) put_run(w, run);
    in += literals + run;
  }
}

static void put_stored(Writer *w, const u8 *in, u32 start, u32 end, u32 final) {
  u32 n = end - start;
  put(w, final, 1);
  put(w, 0, 2);
  align_byte(w);
  put(w, n, 16);
  put(w, ~n & 0xffff, 16);
  flush(w); // byte-aligned, nothing left over
  u32 i = 0;
  for (; i + 16 <= n; i += 16) wasm_v128_store(w->out + i, wasm_v128_load(in + start + i));
  for (; i < n; i++) w->out[i] = in[start + i];
  w->out += n;
}

static void put_block(Writer *w, const u8 *in, u32 start, u32 end, u32 final) {
  for (u32 s = 0; s < SYMBOLS; s++) freq[s] = 0;
  for (u32 t = 0; t < 4; t++)
    for (u32 b = 0; b < 256; b++) literal_count[t][b] = 0;
  run_bits = 0;
  parse(in, start, end);
  for (u32 b = 0; b < 256; b++) freq[b] = literal_count[0][b] + literal_count[1][b] + literal_count[2][b] + literal_count[3][b];
  freq[END_OF_BLOCK] = 1;

  huffman_lengths(freq, SYMBOLS, MAX_BITS, lengths);
  u32 hlit = SYMBOLS;
  while (hlit > 257 && lengths[hlit - 1] == 0) hlit--;
  cl_token_count = 0;
  for (u32 s = 0; s < 19; s++) cl_freq[s] = 0;
  tokenize_lengths(lengths, hlit);
  tokenize_lengths(distance_lengths, DISTANCE_CODES);
  huffman_lengths(cl_freq, 19, MAX_CL_BITS, cl_lengths);
  u32 hclen = 19;
  while (hclen > 4 && cl_lengths[cl_order[hclen - 1]] == 0) hclen--;

  // Sizes in bits: the dynamic block against the stored one.
  u64 dynamic = 3 + 5 + 5 + 4 + 3 * hclen + (u64)run_bits;
  for (u32 s = 0; s < 19; s++) dynamic += (u64)cl_freq[s] * (cl_lengths[s] + cl_extra_bits[s]);
  for (u32 s = 0; s < SYMBOLS; s++) dynamic += (u64)freq[s] * lengths[s];
  u64 stored = 3 + (8 - (w->count + 3) % 8) % 8 + 32 + 8 * (u64)(end - start);
  if (stored <= dynamic) {
    put_stored(w, in, start, end, final);
    return;
  }

  canonical_codes(lengths, SYMBOLS, codes);
  canonical_codes(cl_lengths, 19, cl_codes);
  put(w, final, 1);
  put(w, 2, 2); // dynamic Huffman codes
  put(w, hlit - 257, 5);
  put(w, DISTANCE_CODES - 1, 5);
  put(w, hclen - 4, 4);
  flush(w);
  for (u32 i = 0; i < hclen; i++) {
    put(w, cl_lengths[cl_order[i]], 3);
    flush(w);
  }
  for (u32 i = 0; i < cl_token_count; i++) {
    u32 symbol = cl_tokens[i] & 0xff, e = cl_codes[symbol];
    put(w, e & 0xffff, e >> 16);
    put(w, cl_tokens[i] >> 8, cl_extra_bits[symbol]);
    flush(w);
  }
  put_segments(w, in + start);
  u32 e = codes[END_OF_BLOCK];
  put(w, e & 0xffff, e >> 16);
  flush(w);
}

// ---- Adler-32 (RFC 1950): 16 bytes per step, reduced every 5552 bytes as zlib does ----

static u32 adler32(const u8 *p, u32 n) {
  const v128_t high = wasm_i16x8_make(16, 15, 14, 13, 12, 11, 10, 9), low = wasm_i16x8_make(8, 7, 6, 5, 4, 3, 2, 1);
  u64 a = 1, b = 0;
  while (n > 0) {
    u32 k = n < 5552 ? n : 5552, blocks = k / 16;
    // Over a chunk of bytes x_i, i < k: a += Σ x_i, b += k·a + Σ (k − i)·x_i. Per 16-byte block j of B:
    // Σ (k − i)·x_i = Σ_j [16·(B − 1 − j)·S_j + Σ_t (16 − t)·x_(16j+t)], S_j the block's sum; `before`
    // accumulates, before each block, the sums of the blocks ahead of it.
    v128_t sums = wasm_i32x4_splat(0), weighted = wasm_i32x4_splat(0), before = wasm_i32x4_splat(0);
    for (u32 j = 0; j < blocks; j++) {
      v128_t x = wasm_v128_load(p + 16 * j);
      before = wasm_i32x4_add(before, sums);
      sums = wasm_i32x4_add(sums, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(x)));
      weighted = wasm_i32x4_add(weighted, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(x), high));
      weighted = wasm_i32x4_add(weighted, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(x), low));
    }
    u64 s = 0, wsum = 0, bsum = 0;
    for (int l = 0; l < 4; l++) {
      s += (u32)wasm_i32x4_extract_lane(sums, 0);
      wsum += (u32)wasm_i32x4_extract_lane(weighted, 0);
      bsum += (u32)wasm_i32x4_extract_lane(before, 0);
      sums = wasm_i32x4_shuffle(sums, sums, 1, 2, 3, 0);
      weighted = wasm_i32x4_shuffle(weighted, weighted, 1, 2, 3, 0);
      before = wasm_i32x4_shuffle(before, before, 1, 2, 3, 0);
    }
    u32 v = 16 * blocks;
    b += (u64)v * a + 16 * bsum + wsum;
    a += s;
    for (; v < k; v++) {
      a += p[v];
      b += a;
    }
    a %= 65521;
    b %= 65521;
    p += k;
    n -= k;
  }
  return (u32)(b << 16 | a);
}

// ---- the stream ----

// Bytes `out` must have room for: every block at most its stored size, plus headers and the writer's 8-byte
// stores past the end.
__attribute__((export_name("deflate_bound")))
u32 deflate_bound(u32 n) {
  return n + 5 * (n / BLOCK + 1) + 2 + 4 + 16;
}

// Compresses in[0..n) into out as a zlib stream (header 78 01, as zlib writes at level 1); returns its length.
__attribute__((export_name("zlib_compress")))
u32 zlib_compress(const u8 *in, u32 n, u8 *out) {
  if (!tables_ready) init_tables();
  Writer w = {out, 0, 0};
  put(&w, 0x78, 8);
  put(&w, 0x01, 8);
  flush(&w);
  u32 start = 0;
  do {
    u32 end = n - start < BLOCK ? n : start + BLOCK;
    put_block(&w, in, start, end, end == n);
    start = end;
  } while (start < n);
  align_byte(&w);
  u32 check = adler32(in, n);
  for (int s = 24; s >= 0; s -= 8) *w.out++ = (u8)(check >> s);
  return (u32)(w.out - out);
}

// huffman_lengths for tests (test/kernels/deflate.wasm.test.ts checks the codes are complete and within limit),
// for 2 to 286 symbols counted fewer than 2^23 times each.
__attribute__((export_name("code_lengths")))
void code_lengths(const u32 *frequencies, u32 n, u32 limit, u8 *out) {
  if (n >= 2 && n <= SYMBOLS && limit >= 1 && limit <= MAX_BITS) huffman_lengths(frequencies, n, limit, out);
}
