// A fast front end for the block-YAML subset that catalog files are written
// in: block mappings and sequences (also indentless and compact `- key: v`),
// one-line plain, single-quoted and escape-free double-quoted scalars, one-line
// flow sequences of such scalars, `{}`, comments and `---` documents.
//
// Why: libyaml's reader, scanner and token queue are half of the validation
// time. For the subset, this emits exactly the events libyaml emits (types,
// values, styles and start marks, columns in code points) from one pass over
// the lines. Anything outside it (anchors, aliases, tags, block and multi-line
// scalars, escapes, flow mappings, tabs, CR, NEL/LS/PS, directives, empty
// documents, YAML errors) makes Scan() decline and the caller parses the text
// with libyaml. tests/unit/yaml/fast_scanner_test.cpp compares the two on
// every corpus file and on mutations of them.
#pragma once

#include <yaml.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace idp::yaml {

class FastScanner {
 public:
  // True when the whole text lies in the subset; events() then holds the
  // stream from STREAM-START to STREAM-END. Collections nested deeper than
  // max_depth decline too (libyaml's path reports the limit). Scalar values
  // point into `text` or into this object: keep both alive while using them.
  bool Scan(std::string_view text, std::size_t max_depth);
  const std::vector<yaml_event_t>& events() const { return events_; }

 private:
  std::vector<yaml_event_t> events_;
  std::string unescaped_;  // single-quoted scalars without their '' escapes
};

}  // namespace idp::yaml
