/// A structure-aware mutator for the trace targets: a quarter of the mutations shift the
/// input's goroutine IDs (to just below 2^20 so that they cross it, past 2^32, past 2^40, up to
/// 2^63-1) or its thread IDs (near pid_max, 4,194,304), the rest are libFuzzer's own. Byte
/// mutations alone never turn the small IDs of a seed into a run of IDs across a table's limit.
/// Only in the libFuzzer build: the replay build has no LLVMFuzzerMutate.
#pragma once

#ifdef CTXTRAIL_LIBFUZZER_BUILD
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string_view>

#include "id_shift.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::minstd_rand rng(seed);
  if (rng() % 4 != 0) return LLVMFuzzerMutate(data, size, max_size);
  constexpr int64_t kShifts[] = {(int64_t{1} << 20) - 7, (int64_t{1} << 20) - 300, int64_t{1} << 32,
                                 (int64_t{1} << 40) - 3, (int64_t{1} << 62) + 5,
                                 INT64_MAX - 100000};
  int64_t g_shift = 0;
  uint64_t m_shift = 0;
  if (rng() % 3 == 0)
    m_shift = 4194304 - 200 + rng() % 400;
  else
    g_shift = kShifts[rng() % std::size(kShifts)] + static_cast<int64_t>(rng() % 64);
  const auto shifted = ctxtrail::fuzz::shift_ids(
      std::string_view(reinterpret_cast<const char*>(data), size), g_shift, m_shift);
  if (!shifted || shifted->size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, shifted->data(), shifted->size());
  return shifted->size();
}
#endif
