// One error type for the whole engine (in the manner of LevelDB's Status),
// plus Result<T> as a small std::expected stand-in (GCC 12 lacks <expected>).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace idp {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // caller passed something unusable
  kNotFound,
  kIo,               // file system or network
  kParse,            // YAML/JSON syntax
  kInvalid,          // well-formed input that breaks a rule
  kLimit,            // a configured limit was hit
  kNotAllowed,       // outside allowed roots, allowlists, ...
  kInternal,
};

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {     // NOLINT
    assert(!std::get<Status>(v_).ok());
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace idp
