// UrlReaderProcessor: reads `url` location targets over http and https. Every
// URL, and every redirect hop (followed here, at most UrlOptions::max_redirects),
// must be on the allowlist; connect and whole-response timeouts and a body
// size limit hold. Errors read as Backstage's ("Unable to read url, ...").
#pragma once

#include <memory>
#include <string>

#include "catalog/processor.h"

namespace idp::catalog {

std::unique_ptr<Processor> MakeUrlReaderProcessor();

// The body of `url`, or why not: kNotAllowed (off the allowlist, also after a
// redirect), kNotFound (404), kLimit (too large), kIo (timeouts, connection
// and other HTTP errors, too many redirects).
Result<std::string> FetchUrl(const std::string& url, const UrlOptions& options, std::size_t max_bytes);

}  // namespace idp::catalog
