// `url` locations: parsing http(s) URLs, resolving a target against the URL
// of the file that holds it (spec/catalog.md §8.2), and the allowlist every
// URL read (and every redirect hop) must pass.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace idp::catalog {

struct UrlOptions {
  // What may be read: "host[:port][/path/prefix]", host case-insensitive,
  // "*.example.com" for any subdomain; the port must match as written (none:
  // the scheme's default port). Empty: no URL may be read.
  std::vector<std::string> allowlist;
  std::chrono::milliseconds connect_timeout{10'000};
  // The whole response, headers and body (a server trickling bytes too).
  std::chrono::milliseconds read_timeout{30'000};
  std::size_t max_bytes = 0;  // body limit; 0: the YAML file limit
  int max_redirects = 5;
};

struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; IPv6 in brackets
  int port = 0;        // the effective port
  bool explicit_port = false;
  std::string path;    // starts with '/', dot segments removed
  std::string query;   // "" or "?..."

  // scheme://host[:port] (for the HTTP client).
  std::string Origin() const;
  // host[:port] with the port only when it is not the scheme's default.
  std::string HostPort() const;
  std::string ToString() const { return Origin() + path + query; }
};

// An absolute http(s) URL without credentials; the fragment is dropped.
Result<ParsedUrl> ParseUrl(std::string_view url);

// `target` against `base` as Backstage's default SCM resolution does:
// absolute URLs as they are, otherwise standard URL resolution (a relative
// path is taken from the base's folder), keeping the base's query string.
Result<std::string> ResolveUrl(std::string_view base, std::string_view target);

// Standard resolution of a reference (a redirect's Location header):
// the reference's own query.
Result<std::string> ResolveReference(std::string_view base, std::string_view ref);

// Whether the allowlist lets `url` be read.
bool UrlAllowed(const ParsedUrl& url, const std::vector<std::string>& allowlist);

}  // namespace idp::catalog
