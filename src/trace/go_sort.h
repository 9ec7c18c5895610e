/// Go's slices.SortFunc (pattern-defeating quicksort) reproduced step for step. It is not a
/// stable sort, and Go's parser sorts equal-time frontier cursors and CPU samples with it, so
/// matching Go's output order on ties needs the same algorithm, not just any sort.
#pragma once

#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace ctxtrail::trace {
namespace go_sort_detail {

template <typename T, typename Cmp>
struct Sorter {
  std::vector<T>& d;
  Cmp cmp;
  bool less(long i, long j) const { return cmp(d[i], d[j]) < 0; }
  void swap(long i, long j) { std::swap(d[i], d[j]); }

  void insertion(long a, long b) {
    for (long i = a + 1; i < b; i++)
      for (long j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  }
  void sift_down(long lo, long hi, long first) {
    long root = lo;
    for (;;) {
      long child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less(first + child, first + child + 1)) child++;
      if (!less(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  }
  void heap_sort(long a, long b) {
    long first = a, lo = 0, hi = b - a;
    for (long i = (hi - 1) / 2; i >= 0; i--) sift_down(i, hi, first);
    for (long i = hi - 1; i >= 0; i--) {
      swap(first, first + i);
      sift_down(lo, i, first);
    }
  }
  enum Hint { kUnknown, kIncreasing, kDecreasing };
  void order2(long& a, long& b, int* swaps) {
    if (less(b, a)) {
      (*swaps)++;
      std::swap(a, b);
    }
  }
  long median(long a, long b, long c, int* swaps) {
    order2(a, b, swaps);
    order2(b, c, swaps);
    order2(a, b, swaps);
    return b;
  }
  long median_adjacent(long a, int* swaps) { return median(a - 1, a, a + 1, swaps); }
  std::pair<long, Hint> choose_pivot(long a, long b) {
    const long l = b - a;
    int swaps = 0;
    long i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = median_adjacent(i, &swaps);
        j = median_adjacent(j, &swaps);
        k = median_adjacent(k, &swaps);
      }
      j = median(i, j, k, &swaps);
    }
    if (swaps == 0) return {j, kIncreasing};
    if (swaps == 12) return {j, kDecreasing};
    return {j, kUnknown};
  }
  void reverse(long a, long b) {
    for (long i = a, j = b - 1; i < j; i++, j--) swap(i, j);
  }
  bool partial_insertion(long a, long b) {
    long i = a + 1;
    for (int step = 0; step < 5; step++) {
      while (i < b && !less(i, i - 1)) i++;
      if (i == b) return true;
      if (b - a < 50) return false;
      swap(i, i - 1);
      if (i - a >= 2) {
        for (long j = i - 1; j >= 1; j--) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (long j = i + 1; j < b; j++) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  }
  void break_patterns(long a, long b) {
    const long length = b - a;
    if (length < 8) return;
    uint64_t random = static_cast<uint64_t>(length);
    const uint64_t modulus = uint64_t{1} << std::bit_width(static_cast<uint64_t>(length));
    for (long idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
      random ^= random << 13;
      random ^= random >> 7;
      random ^= random << 17;
      long other = static_cast<long>(random & (modulus - 1));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  }
  std::pair<long, bool> partition(long a, long b, long pivot) {
    swap(a, pivot);
    long i = a + 1, j = b - 1;
    while (i <= j && less(i, a)) i++;
    while (i <= j && !less(j, a)) j--;
    if (i > j) {
      swap(j, a);
      return {j, true};
    }
    swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && less(i, a)) i++;
      while (i <= j && !less(j, a)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    swap(j, a);
    return {j, false};
  }
  long partition_equal(long a, long b, long pivot) {
    swap(a, pivot);
    long i = a + 1, j = b - 1;
    for (;;) {
      while (i <= j && !less(a, i)) i++;
      while (i <= j && less(a, j)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    return i;
  }
  void pdqsort(long a, long b, int limit) {
    bool was_balanced = true, was_partitioned = true;
    for (;;) {
      const long length = b - a;
      if (length <= 12) {
        insertion(a, b);
        return;
      }
      if (limit == 0) {
        heap_sort(a, b);
        return;
      }
      if (!was_balanced) {
        break_patterns(a, b);
        limit--;
      }
      auto [pivot, hint] = choose_pivot(a, b);
      if (hint == kDecreasing) {
        reverse(a, b);
        pivot = (b - 1) - (pivot - a);
        hint = kIncreasing;
      }
      if (was_balanced && was_partitioned && hint == kIncreasing && partial_insertion(a, b)) return;
      if (a > 0 && !less(a - 1, pivot)) {
        a = partition_equal(a, b, pivot);
        continue;
      }
      auto [mid, already] = partition(a, b, pivot);
      was_partitioned = already;
      const long left = mid - a, right = b - mid, threshold = length / 8;
      if (left < right) {
        was_balanced = left >= threshold;
        pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        was_balanced = right >= threshold;
        pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }
};

}  // namespace go_sort_detail

/// Sorts like Go's slices.SortFunc(v, cmp); cmp answers <0, 0 or >0.
template <typename T, typename Cmp>
void go_sort(std::vector<T>& v, Cmp cmp) {
  go_sort_detail::Sorter<T, Cmp> s{v, cmp};
  s.pdqsort(0, static_cast<long>(v.size()), std::bit_width(v.size()));
}

}  // namespace ctxtrail::trace
