/// Goroutines collected while their number is unknown. A growing vector of them passes through
/// 1.5 to 2 times its final size (old and new buffers at each growth); here they go into fixed
/// chunks, and take() moves them into one vector of the exact size, freeing each chunk as it
/// goes, so the peak is the final vector plus one chunk.
#pragma once

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

class GoroutineChunks {
 public:
  Goroutine& add(Goroutine&& g) {
    if (chunks_.empty() || chunks_.back().size() == kChunk) {
      chunks_.emplace_back();
      chunks_.back().reserve(kChunk);
    }
    size_++;
    return chunks_.back().emplace_back(std::move(g));
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  std::vector<Goroutine> take() {
    std::vector<Goroutine> all;
    all.reserve(size_);
    for (std::vector<Goroutine>& chunk : chunks_) {
      all.insert(all.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
      std::vector<Goroutine>().swap(chunk);
    }
    chunks_.clear();
    size_ = 0;
    return all;
  }

 private:
  static constexpr size_t kChunk = 4096;
  std::vector<std::vector<Goroutine>> chunks_;
  size_t size_ = 0;
};

}  // namespace ctxtrail::snapshot
