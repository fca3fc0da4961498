// The C ABI of catalog validation: idp_validate_options_init,
// idp_validate_text and idp_validate_file over catalog::ValidateText/File.
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "capi/capi_util.h"
#include "core/utf8.h"
#include "idp/idp.h"
#include "validate/validator.h"

namespace idp::capi {
namespace {

constexpr std::string_view kTextLabel = "<input>";

// The caller's options as the engine's; Status not ok for an unknown version.
Status ReadOptions(const idp_validate_options* opts, catalog::ValidateOptions& out) {
  out.keep_entity = false;  // the lines carry no `entity`
  if (opts == nullptr) return Status::Ok();
  if (opts->version != IDP_VALIDATE_OPTIONS_VERSION) {
    return {Code::kInvalidArgument, "idp_validate_options: unknown version " +
                                        std::to_string(opts->version) + " (this library knows " +
                                        std::to_string(IDP_VALIDATE_OPTIONS_VERSION) + ")"};
  }
  if (opts->location_type != nullptr) out.location_type = opts->location_type;
  if (opts->placeholder_root != nullptr) out.placeholder_root = opts->placeholder_root;
  if (opts->max_depth != 0) out.yaml_limits.max_depth = opts->max_depth;
  if (opts->max_alias_count != 0) out.yaml_limits.max_alias_count = opts->max_alias_count;
  if (opts->max_document_bytes != 0) out.yaml_limits.max_document_bytes = opts->max_document_bytes;
  return Status::Ok();
}

// Null-initialises the outputs; Status not ok when one of them is NULL.
Status ResetOutputs(char** out_jsonl, int* out_valid) {
  if (out_jsonl != nullptr) *out_jsonl = nullptr;
  if (out_valid != nullptr) *out_valid = 0;
  if (out_jsonl == nullptr) return {Code::kInvalidArgument, "out_jsonl must not be NULL"};
  if (out_valid == nullptr) return {Code::kInvalidArgument, "out_valid must not be NULL"};
  return Status::Ok();
}

// How many valid documents of the file define each ref.
std::unordered_map<std::string_view, std::size_t> CountValidRefs(const catalog::FileVerdict& verdict) {
  std::unordered_map<std::string_view, std::size_t> counts;
  for (const catalog::DocumentVerdict& doc : verdict.documents) {
    if (doc.valid && doc.ref) ++counts[*doc.ref];
  }
  return counts;
}

// The verdict as JSON lines (joined with '\n') and the overall verdict. Each
// line is DocumentVerdictJson plus `duplicateRef`, as `idp validate --format
// jsonl` writes it for this one file: true on a valid document whose ref
// another valid document of the file defines too.
int Report(const catalog::FileVerdict& verdict, char** out_jsonl, int* out_valid) {
  const auto ref_counts = CountValidRefs(verdict);
  std::string jsonl;
  bool valid = verdict.file_ok;
  for (std::size_t i = 0; i < verdict.documents.size(); ++i) {
    const catalog::DocumentVerdict& doc = verdict.documents[i];
    if (i != 0) jsonl += '\n';
    std::string line = catalog::DocumentVerdictJson(verdict, doc);
    // Messages may quote bytes of a file that is not UTF-8; the output is.
    if (!IsValidUtf8(line)) line = ToValidUtf8(line);
    const bool duplicate = doc.valid && doc.ref && ref_counts.at(*doc.ref) > 1;
    if (line.empty() || line.back() != '}') {
      return Fail({Code::kInternal, "DocumentVerdictJson did not write an object"});
    }
    line.pop_back();
    line += duplicate ? ",\"duplicateRef\":true}" : ",\"duplicateRef\":false}";
    jsonl += line;
    if (!doc.valid && doc.stage != catalog::Stage::kIgnored) valid = false;
  }
  char* copy = CopyOut(jsonl);
  if (copy == nullptr) {
    SetLastError("out of memory");
    return IDP_ENOMEM;
  }
  *out_jsonl = copy;
  *out_valid = valid ? 1 : 0;
  return IDP_OK;
}

}  // namespace
}  // namespace idp::capi

extern "C" {

IDP_API int idp_validate_options_init(idp_validate_options* opts, unsigned int version) {
  return idp::capi::Guard([&]() -> int {
    using idp::Code;
    if (opts == nullptr) return idp::capi::Fail({Code::kInvalidArgument, "opts must not be NULL"});
    if (version != IDP_VALIDATE_OPTIONS_VERSION) {
      return idp::capi::Fail({Code::kInvalidArgument,
                              "idp_validate_options_init: unknown version " + std::to_string(version) +
                                  " (this library knows " +
                                  std::to_string(IDP_VALIDATE_OPTIONS_VERSION) + ")"});
    }
    const idp_validate_options defaults = IDP_VALIDATE_OPTIONS_INIT;
    *opts = defaults;
    return IDP_OK;
  });
}

IDP_API int idp_validate_text(char** out_jsonl, int* out_valid, const char* text, size_t length,
                              const idp_validate_options* opts) {
  return idp::capi::Guard([&]() -> int {
    using idp::Code;
    namespace capi = idp::capi;
    if (auto st = capi::ResetOutputs(out_jsonl, out_valid); !st.ok()) return capi::Fail(st);
    if (text == nullptr && length != 0) {
      return capi::Fail({Code::kInvalidArgument, "text must not be NULL when length is not 0"});
    }
    idp::catalog::ValidateOptions options;
    if (auto st = capi::ReadOptions(opts, options); !st.ok()) return capi::Fail(st);
    const char* label = opts != nullptr ? opts->file_label : nullptr;
    std::string_view label_view = label != nullptr ? std::string_view(label) : capi::kTextLabel;
    // The label names the file: relative placeholders resolve from its directory.
    std::filesystem::path file_path;
    if (label != nullptr) file_path = label;
    // Never a null data pointer: libyaml asserts on a NULL input string.
    std::string_view body = length != 0 ? std::string_view(text, length) : std::string_view("", 0);
    idp::catalog::FileVerdict verdict =
        idp::catalog::ValidateText(label_view, body, options, file_path);
    return capi::Report(verdict, out_jsonl, out_valid);
  });
}

IDP_API int idp_validate_file(char** out_jsonl, int* out_valid, const char* path,
                              const idp_validate_options* opts) {
  return idp::capi::Guard([&]() -> int {
    using idp::Code;
    namespace capi = idp::capi;
    if (auto st = capi::ResetOutputs(out_jsonl, out_valid); !st.ok()) return capi::Fail(st);
    if (path == nullptr) return capi::Fail({Code::kInvalidArgument, "path must not be NULL"});
    idp::catalog::ValidateOptions options;
    if (auto st = capi::ReadOptions(opts, options); !st.ok()) return capi::Fail(st);
    const char* label = opts != nullptr && opts->file_label != nullptr ? opts->file_label : path;
    idp::catalog::FileVerdict verdict =
        idp::catalog::ValidateFile(std::string(label), std::filesystem::path(path), options);
    return capi::Report(verdict, out_jsonl, out_valid);
  });
}

}  // extern "C"
