#include "validate/backstage_errors.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace idp::catalog {
namespace {

std::string Join(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (std::string_view p : parts) out += p;
  return out;
}

// "line 5, column 3: what" -> {5, 3}; {0, 0} when there is no such prefix.
std::pair<std::size_t, std::size_t> PositionOf(std::string_view message) {
  std::size_t line = 0, column = 0;
  if (!message.starts_with("line ")) return {0, 0};
  std::size_t i = 5;
  while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
    line = line * 10 + static_cast<std::size_t>(message[i++] - '0');
  }
  if (message.substr(i, 9) != ", column ") return {0, 0};
  i += 9;
  while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
    column = column * 10 + static_cast<std::size_t>(message[i++] - '0');
  }
  if (message.substr(i, 2) != ": ") return {0, 0};
  return {line, column};
}

// Line `line` (1-based) of `text` without its line break; "" past the end.
std::string_view SourceLine(std::string_view text, std::size_t line) {
  std::size_t start = 0;
  for (std::size_t l = 1; l < line; ++l) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  std::size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  std::string_view out = text.substr(start, end - start);
  while (!out.empty() && (out.back() == '\r' || out.back() == '\n')) out.remove_suffix(1);
  return out;
}

// yaml 2.x's prettifyError: the offending line (and the previous one when
// the column is at the line's indentation), then a caret under the column.
std::string Prettify(std::string_view what, std::size_t line, std::size_t column,
                     std::string_view text) {
  std::string out = Join({"YAMLParseError: ", what, " at line ", std::to_string(line), ", column ",
                          std::to_string(column)});
  std::size_t ci = column > 0 ? column - 1 : 0;
  std::string line_str(SourceLine(text, line));
  if (ci >= 60 && line_str.size() > 80) {
    const std::size_t trim = std::min(ci - 39, line_str.size() - 79);
    line_str = "\u2026" + line_str.substr(trim);
    ci -= trim - 1;
  }
  if (line_str.size() > 80) line_str = line_str.substr(0, 79) + "\u2026";
  const std::string_view before =
      std::string_view(line_str).substr(0, std::min(ci, line_str.size()));
  if (line > 1 && before.find_first_not_of(' ') == std::string_view::npos) {
    std::string prev(SourceLine(text, line - 1));
    prev += '\n';
    if (prev.size() > 80) prev = prev.substr(0, 79) + "\u2026\n";
    line_str = prev + line_str;
  }
  if (line_str.find_first_not_of(' ') != std::string::npos) {
    out += ":\n\n" + line_str + "\n" + std::string(ci, ' ') + "^\n";
  }
  return out;
}

}  // namespace

std::string_view WithoutPosition(std::string_view message) {
  if (PositionOf(message).first == 0) return message;
  return message.substr(message.find(": ") + 2);
}

std::string YamlErrorText(std::string_view location_ref, std::string_view message,
                          std::string_view text) {
  const auto [line, column] = PositionOf(message);
  const std::string detail =
      line == 0 ? std::string(message) : Prettify(WithoutPosition(message), line, column, text);
  return Join({"Error: YAML error at ", location_ref, ", ", detail});
}

std::string UnreadableFileText(std::string_view target, std::string_view reason) {
  const std::string_view what = WithoutPosition(reason);
  // yaml's alias errors are ReferenceErrors; our own resource limits have no
  // Backstage counterpart.
  const bool reference = what.starts_with("Unresolved alias") ||
                         what.starts_with("Excessive alias count") || what.starts_with("Alias ");
  return Join(
      {"file ", target, " could not be read, ", reference ? "ReferenceError: " : "Error: ", what});
}

std::string RootNotObjectText(std::string_view js_typeof) {
  return Join({"Error: Expected object at root, got ", js_typeof});
}

std::string EnvelopeErrorText(std::string_view message) {
  // The annotations rule throws a plain Error, the ajv envelope a TypeError.
  const bool plain = message.starts_with("metadata.annotations must be a valid object");
  return Join({plain ? "Error: " : "TypeError: ", message});
}

std::string PreprocessErrorText(std::string_view message) {
  return Join(
      {"InputError: Processor PlaceholderProcessor threw an error while preprocessing; "
       "caused by Error: ",
       message});
}

std::string PolicyErrorText(std::string_view ref, std::string_view message) {
  return Join({"InputError: Policy check failed for ", ref, "; caused by Error: ", message});
}

std::string KindNotRecognisedText(std::string_view ref) {
  return Join({"InputError: No processor recognized the entity ", ref,
               " as valid, possibly caused by a foreign kind or apiVersion"});
}

std::string KindInvalidText(std::string_view processor, std::string_view ref,
                            std::string_view message) {
  return Join({"InputError: Processor ", processor, " threw an error while validating the entity ",
               ref, "; caused by TypeError: ", message});
}

std::string LocationErrorText(std::string_view message) { return Join({"InputError: ", message}); }

std::string PostprocessErrorText(std::string_view message) {
  return Join({"InputError: ", message});
}

std::string IoErrorText(std::string_view message) { return Join({"cannot read file: ", message}); }

}  // namespace idp::catalog
