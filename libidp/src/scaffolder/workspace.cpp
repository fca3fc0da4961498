#include "scaffolder/workspace.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "scaffolder/path_safety.h"

namespace idp::scaffolder {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxWorkspaceBytes = 256u << 20;  // the dry-run answer is held in memory

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status(Code::kIo, "cannot read " + p.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Result<std::vector<FileEntry>> SerializeDirectory(const fs::path& dir) {
  std::vector<FileEntry> out;
  std::error_code ec;
  std::size_t total = 0;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) return Status(Code::kIo, "cannot list " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status(Code::kIo, "cannot list " + dir.string() + ": " + ec.message());
    const fs::path rel = it->path().lexically_relative(dir);
    if (it.depth() == 0 && rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    const fs::file_status st = it->symlink_status(ec);
    if (ec) return Status(Code::kIo, "cannot stat " + it->path().string());
    if (fs::is_directory(st)) continue;
    FileEntry f;
    f.path = rel.generic_string();
    auto safe = ResolveSafeChildPath(dir, f.path);
    if (!safe.ok()) return safe.status();
    if (fs::is_symlink(st)) {
      if (fs::exists(fs::status(it->path(), ec))) continue;  // only broken links are kept
      f.symlink = true;
      f.content = fs::read_symlink(it->path(), ec).string();
    } else {
      auto content = ReadFile(it->path());
      if (!content.ok()) return content.status();
      f.content = std::move(*content);
      f.executable = (static_cast<unsigned>(st.permissions()) & 0111u) != 0;
    }
    total += f.content.size();
    if (total > kMaxWorkspaceBytes) return Status(Code::kLimit, "the workspace holds more than 256 MiB");
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return out;
}

Status DeserializeDirectory(const fs::path& dir, const std::vector<FileEntry>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(Code::kIo, "cannot create " + dir.string() + ": " + ec.message());
  for (const auto& f : files) {
    auto target = ResolveSafeChildPath(dir, f.path);
    if (!target.ok()) return target.status();
    fs::create_directories(target->parent_path(), ec);
    if (ec) return Status(Code::kIo, "cannot create " + target->parent_path().string() + ": " + ec.message());
    auto again = ResolveSafeChildPath(dir, f.path);  // the directories just made may not be links out
    if (!again.ok()) return again.status();
    std::ofstream out(*target, std::ios::binary | std::ios::trunc);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    if (!out) return Status(Code::kIo, "cannot write " + target->string());
  }
  return Status::Ok();
}

}  // namespace idp::scaffolder
