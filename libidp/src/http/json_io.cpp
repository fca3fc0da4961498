#include "http/json_io.h"

#include <rapidjson/error/en.h>

#include <algorithm>

#include "http/errors.h"

namespace idp::http {
namespace {

// Bodies are walked recursively later (predicates, output): bound the depth.
constexpr int kMaxDepth = 64;

int NestingDepth(std::string_view text) {
  int depth = 0, max = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max = std::max(max, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max;
}

}  // namespace

std::optional<Response> ParseJsonBody(const Request& req, Json& out) {
  const std::string_view ct = req.content_type;
  const bool is_json = ct.find("json") != std::string_view::npos;
  if (!is_json || req.body.empty()) {
    out.SetObject();
    return std::nullopt;
  }
  if (NestingDepth(req.body) > kMaxDepth) {
    return ErrorResponse(req, 400, "Malformed JSON body: nested deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  // Iterative: no recursion on the parser side whatever the input.
  out.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(req.body.data(),
                                                                                    req.body.size());
  if (out.HasParseError()) {
    return ErrorResponse(req, 400,
                         std::string("Malformed JSON body at offset ") + std::to_string(out.GetErrorOffset()) +
                             ": " + rapidjson::GetParseError_En(out.GetParseError()));
  }
  return std::nullopt;
}

Response JsonResponse(int status, rapidjson::StringBuffer& buffer) {
  Response r;
  r.status = status;
  r.body.assign(buffer.GetString(), buffer.GetSize());
  return r;
}

Response JsonResponse(int status, const JsonValue& value) {
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  value.Accept(w);
  return JsonResponse(status, buf);
}

void SplitCommaList(std::string_view text, std::vector<std::string>& out) {
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) return;
    text.remove_prefix(comma + 1);
  }
}

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace idp::http
