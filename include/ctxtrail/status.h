/// Fatal input errors as values: where in which file, and what was expected there.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace ctxtrail {

/// A fatal problem with the input. Printed as
/// `FILE: byte OFFSET (generation G): MESSAGE`; offset and generation are left out when unknown.
struct Error {
  std::string file;
  std::optional<uint64_t> offset;
  std::optional<uint64_t> generation;
  std::string message;

  std::string to_string() const;
};

/// Thrown by a stage that finds one of its own invariants broken (a goroutine the model must
/// know is missing, an index out of its table): never undefined behaviour. trace::for_each_event
/// turns it into an Error naming the event; cli::run turns any that escapes into exit 3.
struct InvariantError : std::logic_error {
  using std::logic_error::logic_error;
};

/// Either a value or an Error. `[[nodiscard]]` so an error is never dropped silently.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace ctxtrail
