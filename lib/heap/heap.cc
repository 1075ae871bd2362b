// sys_heap: segregated-fit allocator with boundary tags over a caller-provided buffer.
//
// Layout. The buffer is cut into 8-byte granules counted from `base`, chosen so that base + 4
// is 8-aligned. A block ("chunk") is a run of granules; its first word is its header:
//
//   header = size_in_granules << 2 | kPrevFree | kUsed
//
// so the memory handed out, just past the header, is 8-aligned. A free chunk keeps two list
// links in its second and third words and its size again in its last word (the footer), which
// the next chunk's header immediately follows: a chunk whose kPrevFree flag is set finds its free
// predecessor through that footer, so freeing merges both neighbours in constant time. Two free
// chunks are never adjacent. Chunk 0 is the bookkeeping (struct z_heap, then one list head per
// size class) and is always used; a header of size 0 marks the end. Chunk indices fit in 32
// bits on every target, so the layout is the same on 32- and 64-bit machines.
//
// Size classes: two per power of two ([2^f, 1.5*2^f) and [1.5*2^f, 2^(f+1)) granules), each a
// doubly-linked LIFO list, with a bitmap of the non-empty classes. An allocation of n granules
// takes the head of the first non-empty class whose every chunk is at least n (one bitmap scan);
// only when there is none does it look for a fit among the first few chunks of n's own class.
#include <gale/sys/sys_heap.h>

#include <errno.h>
#include <string.h>

#include <gale/sys/__assert.h>
#include <gale/toolchain.h>

namespace {

// Heap words may hold what the application stored there before: access them without the
// aliasing assumptions the compiler makes for uint32_t.
typedef uint32_t __attribute__((__may_alias__)) Word;

constexpr uint32_t kGranule = 8;
constexpr uint32_t kHeaderBytes = 4;
constexpr uint32_t kUsed = 1U;
constexpr uint32_t kPrevFree = 2U;
constexpr uint32_t kFlags = kUsed | kPrevFree;
constexpr uint32_t kMinChunk = 2;         // header, two links, footer
constexpr uint32_t kMaxChunk = 1U << 29;  // keeps size << 2 and chunk sums within 32 bits
constexpr uint32_t kNoChunk = 0;          // chunk 0 is the bookkeeping, never in a free list
constexpr int kFitWalk = 8;               // chunks tried in the partially fitting class

}  // namespace

struct z_heap {
  uint32_t end;  // index of the end marker: the heap spans granules [0, end)
  uint32_t num_classes;
  uint32_t bitmap[2];      // bit c: class c has free chunks
  uint32_t allocated;      // granules in used chunks, bookkeeping excluded
  uint32_t max_allocated;  // the most `allocated` has been since the last reset
  // uint32_t heads[num_classes] follow.
};

namespace {

inline uint32_t *Heads(z_heap *h) {
  return reinterpret_cast<uint32_t *>(h + 1);
}

// Chunk @p c's words; the base is 4 bytes below the bookkeeping (chunk 0's memory).
inline Word *W(z_heap *h, uint32_t c) {
  return reinterpret_cast<Word *>(reinterpret_cast<char *>(h) - kHeaderBytes +
                                  static_cast<size_t>(c) * kGranule);
}
inline uint32_t Size(z_heap *h, uint32_t c) {
  return W(h, c)[0] >> 2;
}
inline void *Mem(z_heap *h, uint32_t c) {
  return reinterpret_cast<char *>(h) + static_cast<size_t>(c) * kGranule;
}
inline uint32_t ChunkOf(z_heap *h, const void *mem) {
  return static_cast<uint32_t>((static_cast<const char *>(mem) - reinterpret_cast<char *>(h)) /
                               kGranule);
}

inline int Fls(uint32_t n) {
  return 31 - __builtin_clz(n);
}

// The class of a chunk of @p n >= 2 granules.
inline int ClassOf(uint32_t n) {
  int f = Fls(n);
  return (f << 1) + static_cast<int>((n >> (f - 1)) & 1U);
}

// Granules of a chunk holding @p bytes (the caller has bounded @p bytes).
inline uint32_t GranulesFor(size_t bytes) {
  uint32_t n = static_cast<uint32_t>((bytes + kHeaderBytes + kGranule - 1) / kGranule);
  return n < kMinChunk ? kMinChunk : n;
}

ALWAYS_INLINE void ListAdd(z_heap *h, uint32_t c, uint32_t size) {
  int cls = ClassOf(size);
  uint32_t *heads = Heads(h);
  uint32_t head = heads[cls];
  Word *w = W(h, c);
  w[1] = head;
  w[2] = kNoChunk;
  if (head != kNoChunk) {
    W(h, head)[2] = c;
  } else {
    h->bitmap[cls >> 5] |= 1U << (cls & 31);
  }
  heads[cls] = c;
}

ALWAYS_INLINE void ListRemove(z_heap *h, uint32_t c, uint32_t size) {
  Word *w = W(h, c);
  uint32_t next = w[1];
  uint32_t prev = w[2];
  if (prev != kNoChunk) {
    W(h, prev)[1] = next;
  } else {
    int cls = ClassOf(size);
    Heads(h)[cls] = next;
    if (next == kNoChunk) {
      h->bitmap[cls >> 5] &= ~(1U << (cls & 31));
    }
  }
  if (next != kNoChunk) {
    W(h, next)[2] = prev;
  }
}

// Make [c, c + size) a free chunk and list it. Its predecessor is used; its successor is used
// and learns that its predecessor is free.
inline void MakeFree(z_heap *h, uint32_t c, uint32_t size) {
  W(h, c)[0] = size << 2;
  Word *next = W(h, c + size);
  next[-1] = size;
  next[0] |= kPrevFree;
  ListAdd(h, c, size);
}

// The first class at or above @p cls with free chunks, or -1.
ALWAYS_INLINE int FindClass(z_heap *h, int cls) {
  if (cls >= static_cast<int>(h->num_classes)) {
    return -1;
  }
  int word = cls >> 5;
  uint32_t bits = h->bitmap[word] & (~0U << (cls & 31));
  if (bits == 0U && word == 0) {
    bits = h->bitmap[1];
    word = 1;
  }
  return bits != 0U ? (word << 5) + __builtin_ctz(bits) : -1;
}

// Take a chunk of exactly @p n granules (n <= end) off the free lists, splitting a larger one;
// kNoChunk when none fits.
uint32_t AllocChunk(z_heap *h, uint32_t n) {
  int f = Fls(n);
  int cls = (f << 1) + static_cast<int>((n >> (f - 1)) & 1U);
  // Every chunk of the next class fits unless n is its own class's lower bound.
  int fitting = cls + ((n & ((1U << (f - 1)) - 1U)) != 0U ? 1 : 0);
  uint32_t c;
  int found = FindClass(h, fitting);
  if (likely(found >= 0)) {
    c = Heads(h)[found];
  } else {
    if (cls >= static_cast<int>(h->num_classes)) {
      return kNoChunk;
    }
    c = Heads(h)[cls];
    for (int tries = 0; c != kNoChunk && Size(h, c) < n; tries++) {
      if (tries == kFitWalk) {
        return kNoChunk;
      }
      c = W(h, c)[1];
    }
    if (c == kNoChunk) {
      return kNoChunk;
    }
  }
  uint32_t size = Size(h, c);
  ListRemove(h, c, size);
  if (size - n >= kMinChunk) {
    // The rest stays free; the chunk after it already knows its predecessor is free.
    uint32_t rest = c + n;
    uint32_t rest_size = size - n;
    W(h, rest)[0] = rest_size << 2;
    W(h, rest + rest_size)[-1] = rest_size;
    ListAdd(h, rest, rest_size);
  } else {
    n = size;
    W(h, c + size)[0] &= ~kPrevFree;
  }
  W(h, c)[0] = (n << 2) | kUsed;  // a free chunk's predecessor is used: no kPrevFree
  h->allocated += n;
  if (h->allocated > h->max_allocated) {
    h->max_allocated = h->allocated;
  }
  return c;
}

void FreeChunk(z_heap *h, uint32_t c) {
  Word *w = W(h, c);
  uint32_t header = w[0];
  __ASSERT((header & kUsed) != 0U, "sys_heap: freeing memory that is not allocated");
  uint32_t size = header >> 2;
  h->allocated -= size;
  uint32_t next_header = W(h, c + size)[0];
  if ((next_header & kUsed) == 0U) {
    uint32_t next_size = next_header >> 2;
    ListRemove(h, c + size, next_size);
    size += next_size;
  }
  if ((header & kPrevFree) != 0U) {
    uint32_t prev_size = w[-1];
    c -= prev_size;
    ListRemove(h, c, prev_size);
    size += prev_size;
  }
  MakeFree(h, c, size);
}

// Give back the granules of used chunk @p c beyond the first @p n when they make a chunk.
void Shrink(z_heap *h, uint32_t c, uint32_t n) {
  Word *w = W(h, c);
  uint32_t size = w[0] >> 2;
  if (size - n < kMinChunk) {
    return;
  }
  w[0] = (n << 2) | (w[0] & kFlags);
  W(h, c + n)[0] = ((size - n) << 2) | kUsed;
  FreeChunk(h, c + n);  // merges with a free successor
}

// Whether a request of @p bytes cannot possibly fit (also keeps the granule arithmetic from
// overflowing).
inline bool TooBig(z_heap *h, size_t bytes) {
  return bytes > static_cast<size_t>(h->end) * kGranule;
}

// Memory of @p bytes at p with (p + offset) a multiple of @p align (a power of two above the
// granule; @p offset a multiple of the granule).
void *AlignedAllocOffset(z_heap *h, size_t align, size_t offset, size_t bytes) {
  if (TooBig(h, bytes) || align > static_cast<size_t>(h->end) * kGranule) {
    return nullptr;
  }
  uint32_t n = GranulesFor(bytes);
  uint32_t pad = static_cast<uint32_t>(align / kGranule);
  // The aligned start is at most pad - 1 granules in, or pad + 1 when a one-granule gap (too
  // small to be a chunk) pushes it to the next aligned address.
  uint32_t c = AllocChunk(h, n + pad + 1);
  if (c == kNoChunk) {
    return nullptr;
  }
  uintptr_t mem = reinterpret_cast<uintptr_t>(Mem(h, c));
  uintptr_t aligned = ((mem + offset + align - 1) & ~(static_cast<uintptr_t>(align) - 1)) - offset;
  uint32_t gap = static_cast<uint32_t>((aligned - mem) / kGranule);
  if (gap == 1U) {
    gap += pad;
  }
  if (gap != 0U) {
    uint32_t size = Size(h, c);
    W(h, c)[0] = (gap << 2) | kUsed;
    W(h, c + gap)[0] = ((size - gap) << 2) | kUsed;
    FreeChunk(h, c);  // its predecessor is used: it stays a lone free chunk
    c += gap;
  }
  Shrink(h, c, n);
  return Mem(h, c);
}

}  // namespace

extern "C" {

void sys_heap_init(struct sys_heap *heap, void *mem, size_t bytes) {
  uintptr_t start = reinterpret_cast<uintptr_t>(mem);
  uintptr_t base = ((start + kHeaderBytes + kGranule - 1) & ~static_cast<uintptr_t>(kGranule - 1)) -
                   kHeaderBytes;
  size_t granules = (start + bytes - base - kHeaderBytes) / kGranule;
  if (granules > kMaxChunk) {
    granules = kMaxChunk;
  }
  auto *h = reinterpret_cast<z_heap *>(base + kHeaderBytes);
  uint32_t end = static_cast<uint32_t>(granules);
  h->end = end;
  h->num_classes = static_cast<uint32_t>(ClassOf(end)) + 1U;
  h->bitmap[0] = 0;
  h->bitmap[1] = 0;
  h->allocated = 0;
  h->max_allocated = 0;
  uint32_t *heads = Heads(h);
  for (uint32_t i = 0; i < h->num_classes; i++) {
    heads[i] = kNoChunk;
  }
  uint32_t book = static_cast<uint32_t>(
      (kHeaderBytes + sizeof(z_heap) + h->num_classes * sizeof(uint32_t) + kGranule - 1) /
      kGranule);
  __ASSERT(book + kMinChunk <= end, "sys_heap: %u bytes is too small for a heap",
           static_cast<unsigned int>(bytes));
  W(h, 0)[0] = (book << 2) | kUsed;
  W(h, end)[0] = kUsed;
  MakeFree(h, book, end - book);
  heap->heap = h;
  heap->init_mem = mem;
  heap->init_bytes = bytes;
}

void *sys_heap_alloc(struct sys_heap *heap, size_t bytes) {
  z_heap *h = heap->heap;
  if (bytes == 0U || TooBig(h, bytes)) {
    return nullptr;
  }
  uint32_t c = AllocChunk(h, GranulesFor(bytes));
  return c != kNoChunk ? Mem(h, c) : nullptr;
}

void *sys_heap_aligned_alloc(struct sys_heap *heap, size_t align, size_t bytes) {
  __ASSERT((align & (align - 1)) == 0U, "sys_heap: alignment %u is not a power of two",
           static_cast<unsigned int>(align));
  if (align <= kGranule) {
    return sys_heap_alloc(heap, bytes);
  }
  if (bytes == 0U) {
    return nullptr;
  }
  return AlignedAllocOffset(heap->heap, align, 0, bytes);
}

void *gale_sys_heap_aligned_alloc_offset(struct sys_heap *heap, size_t align, size_t offset,
                                         size_t bytes) {
  __ASSERT((align & (align - 1)) == 0U && offset % kGranule == 0U,
           "sys_heap: alignment %u with offset %u", static_cast<unsigned int>(align),
           static_cast<unsigned int>(offset));
  if (align <= kGranule) {
    return sys_heap_alloc(heap, bytes);
  }
  if (bytes == 0U) {
    return nullptr;
  }
  return AlignedAllocOffset(heap->heap, align, offset, bytes);
}

void sys_heap_free(struct sys_heap *heap, void *mem) {
  if (mem == nullptr) {
    return;
  }
  z_heap *h = heap->heap;
  __ASSERT(mem > static_cast<void *>(h) && mem < Mem(h, h->end),
           "sys_heap: freeing %p, which is not in the heap", mem);
  FreeChunk(h, ChunkOf(h, mem));
}

void *sys_heap_aligned_realloc(struct sys_heap *heap, void *ptr, size_t align, size_t bytes) {
  z_heap *h = heap->heap;
  if (ptr == nullptr) {
    return sys_heap_aligned_alloc(heap, align, bytes);
  }
  if (bytes == 0U) {
    sys_heap_free(heap, ptr);
    return nullptr;
  }
  if (TooBig(h, bytes)) {
    return nullptr;
  }
  uint32_t c = ChunkOf(h, ptr);
  uint32_t size = Size(h, c);
  uint32_t n = GranulesFor(bytes);
  if (align == 0U || (reinterpret_cast<uintptr_t>(ptr) & (align - 1U)) == 0U) {
    if (n <= size) {
      Shrink(h, c, n);
      return ptr;
    }
    uint32_t next_header = W(h, c + size)[0];
    uint32_t next_size = next_header >> 2;
    if ((next_header & kUsed) == 0U && size + next_size >= n) {
      ListRemove(h, c + size, next_size);
      W(h, c)[0] += next_size << 2;
      W(h, c + size + next_size)[0] &= ~kPrevFree;
      h->allocated += next_size;
      if (h->allocated > h->max_allocated) {
        h->max_allocated = h->allocated;
      }
      Shrink(h, c, n);
      return ptr;
    }
  }
  void *moved = sys_heap_aligned_alloc(heap, align, bytes);
  if (moved == nullptr) {
    return nullptr;
  }
  size_t keep = static_cast<size_t>(size) * kGranule - kHeaderBytes;
  memcpy(moved, ptr, bytes < keep ? bytes : keep);
  FreeChunk(h, c);
  return moved;
}

void *sys_heap_realloc(struct sys_heap *heap, void *ptr, size_t bytes) {
  return sys_heap_aligned_realloc(heap, ptr, 0, bytes);
}

size_t sys_heap_usable_size(struct sys_heap *heap, void *mem) {
  return static_cast<size_t>(Size(heap->heap, ChunkOf(heap->heap, mem))) * kGranule - kHeaderBytes;
}

int sys_heap_runtime_stats_get(struct sys_heap *heap, struct sys_memory_stats *stats) {
  if (heap == nullptr || stats == nullptr) {
    return -EINVAL;
  }
  z_heap *h = heap->heap;
  uint32_t usable = h->end - Size(h, 0);
  stats->allocated_bytes = static_cast<size_t>(h->allocated) * kGranule;
  stats->free_bytes = static_cast<size_t>(usable - h->allocated) * kGranule;
  stats->max_allocated_bytes = static_cast<size_t>(h->max_allocated) * kGranule;
  return 0;
}

int sys_heap_runtime_stats_reset_max(struct sys_heap *heap) {
  if (heap == nullptr) {
    return -EINVAL;
  }
  heap->heap->max_allocated = heap->heap->allocated;
  return 0;
}

void gale_sys_heap_info_get(struct sys_heap *heap, struct gale_sys_heap_info *info) {
  z_heap *h = heap->heap;
  *info = {};
  for (uint32_t c = Size(h, 0); c < h->end; c += Size(h, c)) {
    uint32_t size = Size(h, c);
    if ((W(h, c)[0] & kUsed) != 0U) {
      info->used_blocks++;
      continue;
    }
    size_t bytes = static_cast<size_t>(size) * kGranule - kHeaderBytes;
    info->free_blocks++;
    info->free_bytes += bytes;
    if (bytes > info->largest_free_bytes) {
      info->largest_free_bytes = bytes;
    }
  }
}

bool sys_heap_validate(struct sys_heap *heap) {
  z_heap *h = heap->heap;
  uint32_t end = h->end;
  if (h->num_classes != static_cast<uint32_t>(ClassOf(end)) + 1U || h->num_classes > 64U) {
    return false;
  }
  // The chain of chunks: sizes, flags, footers, no two free neighbours.
  uint32_t used = 0;
  uint32_t free_chunks = 0;
  bool prev_free = false;
  uint32_t c = 0;
  while (c < end) {
    uint32_t header = W(h, c)[0];
    uint32_t size = header >> 2;
    bool is_free = (header & kUsed) == 0U;
    if (size == 0U || size > end - c || (c != 0U && size < kMinChunk) || (c == 0U && is_free) ||
        ((header & kPrevFree) != 0U) != prev_free || (is_free && prev_free)) {
      return false;
    }
    if (is_free) {
      if (W(h, c + size)[-1] != size) {
        return false;
      }
      free_chunks++;
    } else if (c != 0U) {
      used += size;
    }
    prev_free = is_free;
    c += size;
  }
  uint32_t marker = W(h, end)[0];
  if (c != end || (marker >> 2) != 0U || (marker & kUsed) == 0U ||
      ((marker & kPrevFree) != 0U) != prev_free || used != h->allocated ||
      h->max_allocated < h->allocated) {
    return false;
  }
  // The free lists: every listed chunk is free, in its class, linked both ways; the bitmap
  // matches; together they hold every free chunk.
  uint32_t listed = 0;
  for (uint32_t cls = 0; cls < 64U; cls++) {
    bool bit = (h->bitmap[cls >> 5] & (1U << (cls & 31))) != 0U;
    uint32_t head = cls < h->num_classes ? Heads(h)[cls] : kNoChunk;
    if (bit != (head != kNoChunk)) {
      return false;
    }
    uint32_t prev = kNoChunk;
    for (uint32_t f = head; f != kNoChunk; f = W(h, f)[1]) {
      if (f >= end || listed > free_chunks || (W(h, f)[0] & kUsed) != 0U ||
          ClassOf(Size(h, f)) != static_cast<int>(cls) || W(h, f)[2] != prev) {
        return false;
      }
      listed++;
      prev = f;
    }
  }
  return listed == free_chunks;
}

}  // extern "C"
