#include "catalog/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace idp::catalog {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

int DefaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// RFC 3986 5.2.4, over a path that starts with '/'.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view seg = path.substr(start, end - start);
    const bool last = end == path.size();
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      if (last) out.emplace_back("");
    } else if (seg == ".") {
      if (last) out.emplace_back("");
    } else {
      out.push_back(seg);
    }
    start = end + 1;
  }
  std::string result;
  for (std::string_view s : out) result.append("/").append(s);
  return result.empty() ? "/" : result;
}

bool HasScheme(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), [](unsigned char c) {
    return std::isalnum(c) || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

std::string ParsedUrl::HostPort() const {
  return explicit_port && port != DefaultPort(scheme) ? host + ":" + std::to_string(port) : host;
}

std::string ParsedUrl::Origin() const { return scheme + "://" + HostPort(); }

Result<ParsedUrl> ParseUrl(std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return Status(Code::kInvalidArgument, "invalid URL " + std::string(url) + ": " + std::string(why));
  };
  ParsedUrl u;
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("not an absolute http or https URL");
  u.scheme = Lower(url.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return bad("only http and https are read");
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find('#'));
  const std::size_t auth_end = std::min(rest.find_first_of("/?"), rest.size());
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view tail = rest.substr(auth_end);
  if (authority.find('@') != std::string_view::npos) return bad("credentials in URLs are refused");
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    u.host = Lower(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    u.host = Lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return bad("no host");
  for (char c : u.host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\\' || c == '%') return bad("invalid character in the host");
  }
  u.port = DefaultPort(u.scheme);
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 || port > 65535) {
      return bad("invalid port");
    }
    u.port = port;
    u.explicit_port = true;
  }
  const std::size_t q = tail.find('?');
  std::string_view path = tail.substr(0, q);
  if (q != std::string_view::npos) u.query = std::string(tail.substr(q));
  for (char c : tail) {
    if (static_cast<unsigned char>(c) <= ' ') return bad("control character or space in the path");
  }
  u.path = RemoveDotSegments(path.empty() ? "/" : path);
  return u;
}

namespace {

Result<std::string> Resolve(std::string_view base, std::string_view target, bool keep_base_query) {
  Result<ParsedUrl> b = ParseUrl(base);
  if (!b.ok()) return b.status();
  if (HasScheme(target)) return std::string(target);
  if (target.starts_with("//")) return b->scheme + ":" + std::string(target);
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::string joined;
  if (path.starts_with('/')) {
    joined = std::string(path);
  } else if (path.empty()) {
    joined = b->path;
  } else {
    joined = b->path.substr(0, b->path.rfind('/') + 1) + std::string(path);
  }
  ParsedUrl r = *b;
  r.path = RemoveDotSegments(joined);
  if (!keep_base_query) {
    const std::size_t q = target.find('?');
    r.query = q == std::string_view::npos ? "" : std::string(target.substr(q, target.find('#') - q));
  }
  return r.ToString();
}

}  // namespace

Result<std::string> ResolveUrl(std::string_view base, std::string_view target) {
  return Resolve(base, target, true);  // the base's query, as Backstage keeps it
}

Result<std::string> ResolveReference(std::string_view base, std::string_view ref) { return Resolve(base, ref, false); }

bool UrlAllowed(const ParsedUrl& url, const std::vector<std::string>& allowlist) {
  const std::string host_port = url.HostPort();
  for (const std::string& entry : allowlist) {
    const std::size_t slash = entry.find('/');
    const std::string host = Lower(std::string_view(entry).substr(0, slash));
    const std::string_view prefix = slash == std::string::npos ? std::string_view("/") : std::string_view(entry).substr(slash);
    bool host_ok = host == host_port;
    if (!host_ok && host.starts_with("*.")) {
      const std::string suffix = host.substr(1);  // ".example.com"
      host_ok = host_port.size() > suffix.size() && host_port.ends_with(suffix);
    }
    if (!host_ok) continue;
    // A prefix matches whole segments: "/org" allows "/org/x", not "/organisation".
    if (url.path.starts_with(prefix) &&
        (prefix.ends_with('/') || url.path.size() == prefix.size() || url.path[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace idp::catalog
