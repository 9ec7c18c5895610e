/// An input iterator over a table read by index and by value: its records are worked out when
/// read (packed watchers, wave summaries), so there is no element to point at.
#pragma once

#include <cstddef>
#include <iterator>

namespace ctxtrail::model {

/// Iterates table[0], table[1], ... table[end - 1], each a Value made by Table::operator[].
template <typename Table, typename Value>
class IndexIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;
  IndexIterator() = default;
  IndexIterator(const Table* table, size_t i) : table_(table), i_(i) {}
  Value operator*() const { return (*table_)[i_]; }
  IndexIterator& operator++() {
    ++i_;
    return *this;
  }
  IndexIterator operator++(int) {
    IndexIterator before = *this;
    ++i_;
    return before;
  }
  bool operator==(const IndexIterator& o) const { return i_ == o.i_; }

 private:
  const Table* table_ = nullptr;
  size_t i_ = 0;
};

}  // namespace ctxtrail::model
