#include "yaml/libyaml_parser.h"

#include <new>

namespace idp::yaml {

EventParser::EventParser(std::string_view text) {
  if (!yaml_parser_initialize(&parser_)) throw std::bad_alloc();
  yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
  yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
}

bool EventParser::Next(Event& event) {
  event.Reset();
  if (!yaml_parser_parse(&parser_, &event.event_)) return false;
  event.live_ = true;
  return true;
}

}  // namespace idp::yaml
