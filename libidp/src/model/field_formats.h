// Backstage's field-format validators (KubernetesValidatorFunctions,
// CommonValidatorFunctions, makeValidator) as hand-written matchers: same
// answers as the ECMAScript regexes, no allocation, no std::regex.
#pragma once

#include <string_view>

namespace idp::model::formats {

// 1-63 chars, ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
bool IsValidObjectName(std::string_view s);
// 1-63 chars, ^[a-z0-9]+(?:-+[a-z0-9]+)*$ (namespaces)
bool IsValidDnsLabel(std::string_view s);
// 1-253 chars, '.'-separated DNS labels
bool IsValidDnsSubdomain(std::string_view s);
// [<dns subdomain>/]<1-63 of [a-zA-Z0-9]>
bool IsValidApiVersion(std::string_view s);
// 1-63 chars, ^[a-zA-Z][a-zA-Z0-9]*$
bool IsValidKind(std::string_view s);
// [<dns subdomain>/]<object name> (labels and annotations alike)
bool IsValidLabelKey(std::string_view s);
// "" or an object name
bool IsValidLabelValue(std::string_view s);
// 1-63 chars, ^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$
bool IsValidTag(std::string_view s);

}  // namespace idp::model::formats
