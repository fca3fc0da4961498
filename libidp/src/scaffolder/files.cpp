#include "scaffolder/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "scaffolder/path_safety.h"

namespace idp::scaffolder {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> ExpandBraces(std::string_view p) {
  std::size_t open = p.find('{');
  if (open == std::string_view::npos) return {std::string(p)};
  int depth = 0;
  std::size_t close = std::string_view::npos;
  std::vector<std::size_t> commas;
  for (std::size_t i = open; i < p.size(); ++i) {
    if (p[i] == '{') ++depth;
    else if (p[i] == '}' && --depth == 0) {
      close = i;
      break;
    } else if (p[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string_view::npos || commas.empty()) return {std::string(p)};
  std::vector<std::string> out;
  std::size_t start = open + 1;
  commas.push_back(close);
  for (std::size_t c : commas) {
    std::string alt = std::string(p.substr(0, open)) + std::string(p.substr(start, c - start)) + std::string(p.substr(close + 1));
    for (auto& e : ExpandBraces(alt)) out.push_back(std::move(e));
    start = c + 1;
  }
  return out;
}

bool SegmentMatch(std::string_view pat, std::string_view s) {
  std::size_t p = 0, i = 0, star_p = std::string_view::npos, star_i = 0;
  auto class_match = [&](std::size_t& pp, char c) {
    std::size_t q = pp + 1;
    bool negate = q < pat.size() && (pat[q] == '!' || pat[q] == '^');
    if (negate) ++q;
    bool hit = false;
    std::size_t first = q;
    while (q < pat.size() && (pat[q] != ']' || q == first)) {
      if (q + 2 < pat.size() && pat[q + 1] == '-' && pat[q + 2] != ']') {
        if (c >= pat[q] && c <= pat[q + 2]) hit = true;
        q += 3;
      } else {
        if (c == pat[q]) hit = true;
        ++q;
      }
    }
    pp = q + 1;
    return hit != negate;
  };
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star_p = p++;
      star_i = i;
    } else if (p < pat.size() && pat[p] == '?') {
      ++p;
      ++i;
    } else if (p < pat.size() && pat[p] == '[' && pat.find(']', p + 1) != std::string_view::npos) {
      std::size_t pp = p;
      if (class_match(pp, s[i])) {
        p = pp;
        ++i;
      } else if (star_p != std::string_view::npos) {
        p = star_p + 1;
        i = ++star_i;
      } else {
        return false;
      }
    } else if (p < pat.size() && (pat[p] == s[i] || (pat[p] == '\\' && p + 1 < pat.size() && pat[p + 1] == s[i]))) {
      p += pat[p] == '\\' ? 2 : 1;
      ++i;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      i = ++star_i;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) slash = s.size();
    if (slash > start) out.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool MatchSegments(const std::vector<std::string_view>& pat, std::size_t pi, const std::vector<std::string_view>& path,
                   std::size_t si) {
  if (pi == pat.size()) return si == path.size();
  if (pat[pi] == "**") {
    // A trailing `**` needs one segment: fast-glob lists what is below
    // `dir/**`, never `dir` itself.
    if (pi + 1 == pat.size()) return si < path.size();
    for (std::size_t k = si; k <= path.size(); ++k) {
      if (MatchSegments(pat, pi + 1, path, k)) return true;
    }
    return false;
  }
  if (si == path.size()) return false;
  return SegmentMatch(pat[pi], path[si]) && MatchSegments(pat, pi + 1, path, si + 1);
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  while (pattern.substr(0, 2) == "./") pattern.remove_prefix(2);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (const auto& alt : ExpandBraces(pattern)) {
    std::string_view a = alt;
    while (!a.empty() && a.back() == '/') a.remove_suffix(1);
    if (MatchSegments(Split(a), 0, Split(path), 0)) return true;
  }
  return false;
}

bool GlobListMatch(const std::vector<std::string>& patterns, std::string_view path) {
  bool positive = false;
  for (const auto& p : patterns) {
    if (!p.empty() && p[0] == '!') {
      if (GlobMatch(std::string_view(p).substr(1), path)) return false;
    } else if (GlobMatch(p, path)) {
      positive = true;
    }
  }
  return positive;
}

Result<std::vector<std::string>> ListTree(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) return Status(Code::kIo, "cannot list " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status(Code::kIo, "cannot list " + dir.string() + ": " + ec.message());
    if (out.size() > 100000) return Status(Code::kLimit, "more than 100000 entries in " + dir.string());
    std::string rel = it->path().lexically_relative(dir).generic_string();
    const fs::file_status st = it->symlink_status(ec);
    if (fs::is_directory(st)) rel += "/";
    out.push_back(std::move(rel));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> IsBinaryFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(Code::kIo, "cannot read " + file.string());
  char buf[512];
  in.read(buf, sizeof buf);
  return IsBinaryContent(std::string_view(buf, static_cast<std::size_t>(in.gcount())));
}

bool IsBinaryContent(std::string_view content) {
  const std::size_t n = std::min<std::size_t>(content.size(), 512);
  const char* buf = content.data();
  if (n == 0) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(buf);
  if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return false;  // UTF-8 BOM
  if (n >= 5 && std::string_view(buf, 5) == "%PDF-") return true;
  std::size_t suspicious = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (b[i] == 0) return true;
    if ((b[i] < 7 || b[i] > 14) && (b[i] < 32 || b[i] > 127)) {
      // A valid UTF-8 sequence is text.
      std::size_t len = (b[i] & 0xE0) == 0xC0 ? 2 : (b[i] & 0xF0) == 0xE0 ? 3 : (b[i] & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = len > 0 && i + len <= n;
      for (std::size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xC0) == 0x80;
      if (ok) {
        i += len - 1;
        continue;
      }
      if (len > 0 && i + len > n) continue;  // cut at the buffer's end
      if (++suspicious * 100 / n > 10) return true;
    }
  }
  return suspicious * 100 / n > 10;
}

Result<std::string> ReadWholeFile(const fs::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return Status(Code::kIo, "cannot read " + file.string());
  // Sized first: a huge file is refused before it is read.
  const std::streamoff size = in.tellg();
  if (size < 0) return Status(Code::kIo, "cannot read " + file.string());
  if (static_cast<std::size_t>(size) > max_bytes) {
    return Status(Code::kLimit, file.string() + " is larger than the limit");
  }
  std::string s(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(s.data(), size);
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

Status WriteWholeFile(const fs::path& file, std::string_view content, unsigned mode) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return Status(Code::kIo, "cannot create " + file.parent_path().string() + ": " + ec.message());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
  // The errno text says why (a full disk: "No space left on device").
  const auto failed = [&] { return Status(Code::kIo, "cannot write " + file.string() + ": " + std::strerror(errno)); };
  if (fd < 0) return failed();
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t w = ::write(fd, content.data() + done, content.size() - done);
    if (w <= 0) {
      Status s = failed();
      ::close(fd);
      return s;
    }
    done += static_cast<std::size_t>(w);
  }
  if (::close(fd) != 0) return failed();
  return Status::Ok();
}

namespace {

Status CopyEntry(const fs::path& root, const fs::path& from, const fs::path& to) {
  auto inside = IsChildPath(root, from);
  if (!inside.ok() || !*inside) return Status::Ok();  // skipped: its real path leaves the source
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(from, ec);
  if (ec) return Status(Code::kIo, "cannot stat " + from.string());
  if (fs::is_symlink(st)) {
    fs::path target = fs::read_symlink(from, ec);
    fs::remove(to, ec);
    fs::create_directories(to.parent_path(), ec);
    fs::create_symlink(target, to, ec);
    if (ec) return Status(Code::kIo, "cannot create link " + to.string() + ": " + ec.message());
    return Status::Ok();
  }
  if (fs::is_directory(st)) {
    fs::create_directories(to, ec);
    if (ec) return Status(Code::kIo, "cannot create " + to.string() + ": " + ec.message());
    for (const auto& entry : fs::directory_iterator(from, ec)) {
      if (Status s = CopyEntry(root, entry.path(), to / entry.path().filename()); !s.ok()) return s;
    }
    return Status::Ok();
  }
  auto content = ReadWholeFile(from);
  if (!content.ok()) return content.status();
  return WriteWholeFile(to, *content, static_cast<unsigned>(st.permissions()));
}

}  // namespace

Status CopyTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(from, ec))) return Status(Code::kNotFound, "ENOENT: no such file or directory, lstat '" + from.string() + "'");
  return CopyEntry(from, from, to);
}

bool IsAbsoluteUrl(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return false;
  for (std::size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

}  // namespace idp::scaffolder
