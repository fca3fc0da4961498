#include "validate/verdict.h"

namespace idp::catalog {

const char* StageName(Stage s) {
  switch (s) {
    case Stage::kNone:
      return "none";
    case Stage::kIgnored:
      return "ignored";
    case Stage::kYaml:
      return "yaml";
    case Stage::kRootNotObject:
      return "root-not-object";
    case Stage::kEnvelope:
      return "envelope";
    case Stage::kPreprocess:
      return "preprocess";
    case Stage::kPolicy:
      return "policy";
    case Stage::kSchema:
      return "schema";
    case Stage::kKind:
      return "kind";
    case Stage::kLocation:
      return "location";
    case Stage::kPostprocess:
      return "postprocess";
    case Stage::kIo:
      return "io";
  }
  return "other";
}

bool IsFileFatal(Stage s) {
  // These fail the Location that read the file, so nothing of it is ingested.
  return s == Stage::kYaml || s == Stage::kRootNotObject || s == Stage::kEnvelope ||
         s == Stage::kIo;
}

}  // namespace idp::catalog
