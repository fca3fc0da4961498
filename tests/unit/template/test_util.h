// Helpers for the template engine tests.
#pragma once

#include <string>

#include "template/template.h"

namespace idp::tmpl::testing {

inline RenderResult RenderCase(const char* mode, const std::string& template_json, const std::string& context_json = "{}",
                        const std::string& options_json = "") {
  static const Engine engine;
  return engine.RenderJsonText(mode, template_json, context_json, options_json);
}

// Renders a text template in string mode; returns the JSON of the output.
inline std::string Str(const std::string& template_json, const std::string& values_json = "{}") {
  RenderResult r = RenderCase("string", template_json, "{\"values\":" + values_json + "}");
  return r.error ? "ERROR: " + r.error->message : r.rendered_json;
}

}  // namespace idp::tmpl::testing
