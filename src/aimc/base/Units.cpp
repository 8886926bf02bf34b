#include "aimc/base/Units.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aimc {

namespace {

struct Symbol {
  const char* text;
  Dimension dim;
};

// Multi-letter symbols first, so that "3.2Gbit/s" and "0.6mm2" are matched before the one-letter ones.
constexpr std::array<Symbol, 13> kSymbols{{{"bit/s", Dimension::kBitRate},
                                           {"bps", Dimension::kBitRate},
                                           {"Ohm", Dimension::kResistance},
                                           {"ohm", Dimension::kResistance},
                                           {"Hz", Dimension::kFrequency},
                                           {"m2", Dimension::kArea},
                                           {"B", Dimension::kBytes},
                                           {"s", Dimension::kTime},
                                           {"S", Dimension::kConductance},
                                           {"V", Dimension::kVoltage},
                                           {"A", Dimension::kCurrent},
                                           {"J", Dimension::kEnergy},
                                           {"W", Dimension::kPower}}};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

double si_prefix(std::string_view p, bool* ok) {
  *ok = true;
  if (p.empty()) return 1.0;
  if (p == "f") return 1e-15;
  if (p == "p") return 1e-12;
  if (p == "n") return 1e-9;
  if (p == "u" || p == "\xC2\xB5") return 1e-6;  // 'u' or the micro sign
  if (p == "m") return 1e-3;
  if (p == "k" || p == "K") return 1e3;
  if (p == "M") return 1e6;
  if (p == "G") return 1e9;
  if (p == "T") return 1e12;
  if (p == "Ki") return 1024.0;
  if (p == "Mi") return 1024.0 * 1024.0;
  if (p == "Gi") return 1024.0 * 1024.0 * 1024.0;
  *ok = false;
  return 0.0;
}

}  // namespace

const char* dimension_name(Dimension d) {
  switch (d) {
    case Dimension::kNone:
      return "a plain number";
    case Dimension::kTime:
      return "a time (e.g. 133ns)";
    case Dimension::kFrequency:
      return "a frequency (e.g. 1GHz)";
    case Dimension::kConductance:
      return "a conductance (e.g. 25uS)";
    case Dimension::kBytes:
      return "a size in bytes (e.g. 4KiB)";
    case Dimension::kVoltage:
      return "a voltage (e.g. 0.2V)";
    case Dimension::kCurrent:
      return "a current (e.g. 700uA)";
    case Dimension::kEnergy:
      return "an energy (e.g. 5pJ)";
    case Dimension::kPower:
      return "a power (e.g. 2mW)";
    case Dimension::kArea:
      return "an area (e.g. 0.635mm2)";
    case Dimension::kResistance:
      return "a resistance (e.g. 100kOhm)";
    case Dimension::kBitRate:
      return "a bit rate (e.g. 3.2Gbit/s)";
  }
  return "?";
}

double parse_quantity(std::string_view text, Dimension expected) {
  std::string s(text);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  s = s.substr(start);
  if (s.empty())
    throw std::invalid_argument("empty value, expected " + std::string(dimension_name(expected)));
  const char* begin = s.c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  if (end == begin) throw std::invalid_argument("'" + s + "' is not " + dimension_name(expected));
  if (!std::isfinite(number)) throw std::invalid_argument("'" + s + "' is not a finite number");
  std::string_view rest(end);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) {
    if (expected == Dimension::kNone || number == 0.0) return number;  // zero needs no unit
    throw std::invalid_argument("'" + s + "' has no unit, expected " + dimension_name(expected));
  }
  if (expected == Dimension::kNone)
    throw std::invalid_argument("'" + s + "' has a unit, expected a plain number");
  if (expected == Dimension::kTime) {
    // Retention-scale times for inference after programming; a year is the Julian year (365.25 days).
    if (rest == "min") return number * 60.0;
    if (rest == "h") return number * 3600.0;
    if (rest == "d") return number * 86400.0;
    if (rest == "y") return number * 365.25 * 86400.0;
  }
  // mm2 and um2: the prefix applies to the length, so it is squared.
  for (const auto& sym : kSymbols) {
    std::string_view st(sym.text);
    if (!ends_with(rest, st)) continue;
    std::string_view prefix = rest.substr(0, rest.size() - st.size());
    bool ok = false;
    double factor = si_prefix(prefix, &ok);
    if (!ok) continue;
    if (sym.dim == Dimension::kArea) factor *= factor;
    const bool binary_prefix = !prefix.empty() && prefix.back() == 'i';
    if (binary_prefix && sym.dim != Dimension::kBytes)
      throw std::invalid_argument("'" + s + "': binary prefixes (Ki, Mi, Gi) only apply to bytes");
    if (sym.dim != expected)
      throw std::invalid_argument("'" + s + "' is " + dimension_name(sym.dim) + ", expected " +
                                  dimension_name(expected));
    return number * factor;
  }
  throw std::invalid_argument("'" + s + "': unknown unit '" + std::string(rest) + "', expected " +
                              dimension_name(expected));
}

double parse_in_unit(std::string_view text, const Unit& unit) {
  return parse_quantity(text, unit.dim) / unit.scale;
}

std::string format_quantity(double v, Dimension d) {
  const char* sym = "";
  switch (d) {
    case Dimension::kNone:
      sym = "";
      break;
    case Dimension::kTime:
      sym = "s";
      break;
    case Dimension::kFrequency:
      sym = "Hz";
      break;
    case Dimension::kConductance:
      sym = "S";
      break;
    case Dimension::kBytes:
      sym = "B";
      break;
    case Dimension::kVoltage:
      sym = "V";
      break;
    case Dimension::kCurrent:
      sym = "A";
      break;
    case Dimension::kEnergy:
      sym = "J";
      break;
    case Dimension::kPower:
      sym = "W";
      break;
    case Dimension::kArea:
      sym = "m2";
      break;
    case Dimension::kResistance:
      sym = "Ohm";
      break;
    case Dimension::kBitRate:
      sym = "bit/s";
      break;
  }
  char buf[64];
  if (d == Dimension::kNone || v == 0.0) {
    std::snprintf(buf, sizeof buf, "%g%s", v, sym);
    return buf;
  }
  static const struct {
    double f;
    const char* p;
  } kPrefixes[] = {{1e12, "T"}, {1e9, "G"},  {1e6, "M"},  {1e3, "k"},   {1, ""},
                   {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
  const bool area = d == Dimension::kArea;
  for (const auto& p : kPrefixes) {
    const double f = area ? p.f * p.f : p.f;
    if (std::fabs(v) >= f * 0.9999999) {
      std::snprintf(buf, sizeof buf, "%.6g%s%s", v / f, p.p, sym);
      return buf;
    }
  }
  std::snprintf(buf, sizeof buf, "%g%s", v, sym);
  return buf;
}

std::string format_duration(double s) {
  static const struct {
    double seconds;
    const char* unit;
  } kSpans[] = {{365.25 * 86400.0, "y"}, {86400.0, "d"}, {3600.0, "h"}, {60.0, "min"}};
  char buf[48];
  for (const auto& span : kSpans)
    if (s >= span.seconds) {
      std::snprintf(buf, sizeof buf, "%.4g%s", s / span.seconds, span.unit);
      return buf;
    }
  return format_quantity(s, Dimension::kTime);
}

}  // namespace aimc
