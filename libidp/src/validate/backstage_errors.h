// Backstage's error texts for a failed document, as the oracle prints them
// (`String(error)`): the processing engine wraps each step's error, e.g.
// `InputError: Policy check failed for <ref>; caused by Error: <message>`.
// The rules' own messages come from idp::model; only the wrapping is here.
#pragma once

#include <string>
#include <string_view>

namespace idp::catalog {

// `message` is ParseStream's ("line 5, column 3: Map keys must be unique");
// Backstage's parser prints "YAMLParseError: <what> at line 5, column 3:"
// followed by the source line(s) and a caret, which `text` provides.
std::string YamlErrorText(std::string_view location_ref, std::string_view message,
                          std::string_view text);
// `reason` is ParseStream's abort reason; Backstage's is the error thrown by
// toJSON(), e.g. "ReferenceError: Unresolved alias ...".
std::string UnreadableFileText(std::string_view target, std::string_view reason);
// ParseStream's "line L, column C: " prefix removed.
std::string_view WithoutPosition(std::string_view message);
std::string RootNotObjectText(std::string_view js_typeof);
std::string EnvelopeErrorText(std::string_view message);
std::string PreprocessErrorText(std::string_view message);
std::string PolicyErrorText(std::string_view ref, std::string_view message);
std::string KindNotRecognisedText(std::string_view ref);
std::string KindInvalidText(std::string_view processor, std::string_view ref,
                            std::string_view message);
std::string LocationErrorText(std::string_view message);
// `message` as idp::model words it: "Processor <name> threw an error while
// postprocessing; caused by <Class>: <text>".
std::string PostprocessErrorText(std::string_view message);
std::string IoErrorText(std::string_view message);

}  // namespace idp::catalog
