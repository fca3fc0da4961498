// The JSON schemas under schemas/, compiled into the library at build time.
#pragma once

#include <string_view>

namespace idp::model {

// The text of schemas/<file_name>; empty if there is no such file.
std::string_view EmbeddedSchema(std::string_view file_name);

}  // namespace idp::model
