// Does `new URL(input)` (WHATWG URL Standard, no base) accept `input`?
// Backstage's isValidUrl for metadata.links[].url.
#pragma once

#include <string_view>

namespace idp::model {

// Implements the parts of the WHATWG basic URL parser that can return failure:
// scheme, authority/host (opaque hosts, domains with percent-decoding and an
// approximation of UTS #46 domain-to-ASCII, IPv4 and IPv6), port. Paths,
// queries and fragments never fail and are skipped.
bool IsWhatwgAbsoluteUrl(std::string_view input);

}  // namespace idp::model
