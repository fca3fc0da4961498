// JavaScript semantics the templates depend on: conversions (String(v),
// Number(v), truthiness), equality and relational comparison, `+`, number
// formatting, and string handling in UTF-16 code units. Strings are stored as
// WTF-8 (UTF-8 that may carry lone surrogates, which JS strings can hold).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "template/value.h"

namespace idp::tmpl::js {

// WTF-8 <-> UTF-16 code units.
std::u16string ToU16(std::string_view s);
std::string FromU16(std::u16string_view s);
std::size_t Length16(std::string_view s);
// Appends code point cp (which may be a lone surrogate) as WTF-8.
void AppendCodePoint(std::string& out, std::uint32_t cp);

// Number#toString() for radix 10; toString(radix) for integral radix output.
std::string NumberToString(double d);
std::string NumberToRadixString(double d, int radix);
// Number#toFixed(digits) (digits 0..100).
std::string ToFixed(double d, int digits);
// Number(string).
double StringToNumber(std::string_view s);
double ParseFloat(std::string_view s);
double ParseInt(std::string_view s, int radix);

std::string ToString(const Value& v);   // String(v)
void AppendString(std::string& out, const Value& v);  // out += String(v)
double ToNumber(const Value& v);        // Number(v)
bool Truthy(const Value& v);            // !!v
std::string TypeOf(const Value& v);     // typeof v
// The property key a value becomes when used as obj[key].
std::string PropertyKey(const Value& v);
bool IsObjectLike(const Value& v);      // typeof v === 'object' && v !== null, or function

bool StrictEquals(const Value& a, const Value& b);
bool LooseEquals(const Value& a, const Value& b);
// a < b with JS abstract relational comparison; nullopt when NaN is involved.
std::optional<bool> LessThan(const Value& a, const Value& b);
bool Lt(const Value& a, const Value& b);
bool Gt(const Value& a, const Value& b);
bool Le(const Value& a, const Value& b);
bool Ge(const Value& a, const Value& b);
Value Add(const Value& a, const Value& b);  // a + b

bool IsWhite16(char16_t c);              // JS \s
std::string Trim(std::string_view s, bool start, bool end);
std::string ToUpper(std::string_view s);
std::string ToLower(std::string_view s);

// JSON.stringify(v, null, indent); nullopt for undefined (and functions).
std::optional<std::string> Stringify(const Value& v, const std::string& indent = "");
// Quotes a string the way JSON.stringify does (lone surrogates as \udXXX).
void QuoteJson(std::string& out, std::string_view s);

}  // namespace idp::tmpl::js
