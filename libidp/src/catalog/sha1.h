// SHA-1 (FIPS 180-4) for generated Location names and content hashes.
// Interim copy: libidp/src/store/sha1.* (being written) should replace it.
#pragma once

#include <string>
#include <string_view>

namespace idp::catalog {

// Lower-case hex digest, as node's createHash('sha1').digest('hex').
std::string Sha1Hex(std::string_view data);

}  // namespace idp::catalog
