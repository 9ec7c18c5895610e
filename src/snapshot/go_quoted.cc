/// Unquoting by the Go spec's rules for interpreted string literals: \a \b \f \n \r \t \v \\ \"
/// escapes, \x two hex digits (one byte), \ three octal digits (one byte, at most \377),
/// \u four and \U eight hex digits (one Unicode code point, UTF-8 encoded).
#include "snapshot/go_quoted.h"

#include <cstdint>

namespace ctxtrail::snapshot {

namespace {

std::optional<uint32_t> digits(std::string_view s, size_t n, uint32_t base) {
  if (s.size() < n) return std::nullopt;
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    uint32_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

void append_utf8(std::string& out, uint32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

char simple_escape(char c) {
  switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    default: return 0;
  }
}

}  // namespace

std::optional<std::string> read_go_quoted(std::string_view& in) {
  if (in.empty() || in[0] != '"') return std::nullopt;
  std::string out;
  size_t i = 1;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '"') {
      in.remove_prefix(i + 1);
      return out;
    }
    if (c == '\n') return std::nullopt;  // a literal never spans lines
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= in.size()) return std::nullopt;
    const char e = in[i + 1];
    const std::string_view after = in.substr(i + 2);
    if (char s = simple_escape(e); s != 0) {
      out += s;
      i += 2;
    } else if (e == 'x') {
      std::optional<uint32_t> v = digits(after, 2, 16);
      if (!v) return std::nullopt;
      out += static_cast<char>(*v);
      i += 4;
    } else if (e >= '0' && e <= '7') {
      std::optional<uint32_t> v = digits(in.substr(i + 1), 3, 8);
      if (!v || *v > 0xFF) return std::nullopt;
      out += static_cast<char>(*v);
      i += 4;
    } else if (e == 'u' || e == 'U') {
      const size_t n = e == 'u' ? 4 : 8;
      std::optional<uint32_t> v = digits(after, n, 16);
      if (!v || *v > 0x10FFFF || (*v >= 0xD800 && *v <= 0xDFFF)) return std::nullopt;
      append_utf8(out, *v);
      i += 2 + n;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;  // no closing quote
}

}  // namespace ctxtrail::snapshot
