// RAII wrappers around libyaml's C event parser (yaml_parser_t, yaml_event_t).
#pragma once

#include <yaml.h>

#include <string_view>

namespace idp::yaml {

// One parse event; released on destruction or when the next one is read.
class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { Reset(); }

  const yaml_event_t& get() const { return event_; }
  yaml_event_type_t type() const { return event_.type; }

 private:
  friend class EventParser;
  void Reset() {
    if (live_) yaml_event_delete(&event_);
    live_ = false;
  }
  yaml_event_t event_{};
  bool live_ = false;
};

// libyaml's event parser over an in-memory UTF-8 buffer (no BOM sniffing:
// the input is always UTF-8, a UTF-16 file is invalid UTF-8 for us as for Node).
class EventParser {
 public:
  explicit EventParser(std::string_view text);
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;
  ~EventParser() { yaml_parser_delete(&parser_); }

  // False on a syntax/encoding error; see parser() for the details.
  bool Next(Event& event);
  const yaml_parser_t& parser() const { return parser_; }

 private:
  yaml_parser_t parser_{};
};

}  // namespace idp::yaml
