/// A vector of trivially copyable values that keeps its first few in place: a cancel wave
/// wakes one goroutine far more often than many, and a million waves with a heap block each
/// for one watcher cost more than the waves themselves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <type_traits>

namespace ctxtrail::model {

template <typename T, size_t Inline>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  SmallVector() = default;
  SmallVector(std::initializer_list<T> values) {
    for (const T& v : values) push_back(v);
  }
  SmallVector(const SmallVector& o) { assign(o.data(), o.size_); }
  SmallVector(SmallVector&& o) noexcept { take(o); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) {
      release();
      assign(o.data(), o.size_);
    }
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ~SmallVector() { release(); }

  void push_back(const T& v) {
    if (size_ == capacity_) grow();
    data()[size_++] = v;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return on_heap() ? heap_ : inline_; }
  const T* data() const { return on_heap() ? heap_ : inline_; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }
  operator std::span<const T>() const { return {data(), size_}; }

 private:
  bool on_heap() const { return capacity_ > Inline; }
  void grow() {
    const uint32_t capacity = capacity_ * 2;
    T* heap = new T[capacity];
    const uint32_t size = size_;
    std::memcpy(heap, data(), size * sizeof(T));
    release();
    heap_ = heap;
    capacity_ = capacity;
    size_ = size;
  }
  void assign(const T* values, uint32_t n) {
    while (capacity_ < n) capacity_ *= 2;
    if (on_heap()) heap_ = new T[capacity_];
    std::memcpy(data(), values, n * sizeof(T));
    size_ = n;
  }
  void take(SmallVector& o) {
    size_ = o.size_;
    capacity_ = o.capacity_;
    if (o.on_heap()) {
      heap_ = o.heap_;
    } else {
      std::memcpy(inline_, o.inline_, sizeof(inline_));
    }
    o.size_ = 0;
    o.capacity_ = Inline;
  }
  void release() {
    if (on_heap()) delete[] heap_;
    capacity_ = Inline;
    size_ = 0;
  }

  union {
    T inline_[Inline];
    T* heap_;
  };
  uint32_t size_ = 0;
  uint32_t capacity_ = Inline;
};

}  // namespace ctxtrail::model
