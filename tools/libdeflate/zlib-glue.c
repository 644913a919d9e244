// The zlib stream of the 16-bit PNG rows from libdeflate (MIT, by Eric Biggers; fetched and checked by
// tools/build-libdeflate-wasm.sh, never committed), with the exports the src/kernels bindings call on deflate.c:
// deflate_bound(n) and zlib_compress(in, n, out) (at DEFAULT_LEVEL). zlib_compress_level adds the level, for
// bench/deflate.ts.
//
// Memory: src/kernels/wasm/module.ts lays out its buffers from __heap_base upward and grows the memory itself, so nothing here
// may allocate there. libdeflate's compressor (its hash tables) lives in a static arena below __heap_base
// instead, handed out through libdeflate's per-compressor allocator; one compressor is kept and reused while
// the level stays the same (allocating one clears nothing big: libdeflate resets its tables per call).

#include <stddef.h>
#include <stdint.h>
#include "libdeflate.h"

#ifndef DEFAULT_LEVEL
#define DEFAULT_LEVEL 1
#endif

// Levels 1 to 9 fit (libdeflate's greedy/lazy parsers: hash chains of a 32 kB window); 10 to 12 (the
// near-optimal parser's match cache) do not, and zlib_compress_level returns 0 for them.
#define ARENA_BYTES (1u << 20)

static _Alignas(64) unsigned char arena[ARENA_BYTES];
static int arena_taken;

static void *arena_malloc(size_t n) {
  if (arena_taken || n > ARENA_BYTES) return NULL;
  arena_taken = 1;
  return arena;
}

static void arena_free(void *p) {
  if (p == arena) arena_taken = 0;
}

static struct libdeflate_compressor *compressor;
static int compressor_level = -1;

static struct libdeflate_compressor *compressor_for(int level) {
  if (level == compressor_level) return compressor;
  libdeflate_free_compressor(compressor);
  struct libdeflate_options options = {
      .sizeof_options = sizeof(struct libdeflate_options),
      .malloc_func = arena_malloc,
      .free_func = arena_free,
  };
  compressor = libdeflate_alloc_compressor_ex(level, &options);
  compressor_level = compressor ? level : -1;
  return compressor;
}

// Bytes `out` must have room for, at any level: libdeflate's own bound (stored blocks at worst, plus the zlib
// header and Adler-32). libdeflate writes nothing past what it is given.
__attribute__((export_name("deflate_bound")))
uint32_t deflate_bound(uint32_t n) {
  return (uint32_t)libdeflate_zlib_compress_bound(NULL, n);
}

// Compresses in[0..n) into out (deflate_bound(n) bytes) as a zlib stream at `level`; returns its length, or
// 0 for a level this build does not hold.
__attribute__((export_name("zlib_compress_level")))
uint32_t zlib_compress_level(const uint8_t *in, uint32_t n, uint8_t *out, int32_t level) {
  struct libdeflate_compressor *c = compressor_for(level);
  if (!c) return 0;
  return (uint32_t)libdeflate_zlib_compress(c, in, n, out, deflate_bound(n));
}

__attribute__((export_name("zlib_compress")))
uint32_t zlib_compress(const uint8_t *in, uint32_t n, uint8_t *out) {
  return zlib_compress_level(in, n, out, DEFAULT_LEVEL);
}
