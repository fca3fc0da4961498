// The one exception type the engine throws internally; the public API turns it
// into a TemplateError value (message plus 1-based line and column).
#pragma once

#include <exception>
#include <string>
#include <utility>

namespace idp::tmpl {

enum class ErrorKind {
  kSyntax,   // lexer/parser: nunjucks "unexpected token" and friends
  kRuntime,  // evaluation: JS TypeErrors, unknown filters, filter exceptions
  kRefused,  // sandbox: reserved names, template loading
  kLimit,    // a resource limit was hit
};

class EngineError : public std::exception {
 public:
  EngineError(ErrorKind kind, std::string message, int line = 0, int column = 0)
      : kind_(kind), message_(std::move(message)), line_(line), column_(column) {}
  const char* what() const noexcept override { return message_.c_str(); }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  int line() const { return line_; }
  int column() const { return column_; }
  bool located() const { return line_ > 0; }
  void Locate(int line, int column) {
    if (line_ == 0) {
      line_ = line;
      column_ = column;
    }
  }

 private:
  ErrorKind kind_;
  std::string message_;
  int line_;
  int column_;
};

// A JavaScript-style exception raised by a builtin: `TypeError: x is not ...`.
inline EngineError JsError(std::string type, std::string message) {
  return EngineError(ErrorKind::kRuntime, type + ": " + message);
}

}  // namespace idp::tmpl
