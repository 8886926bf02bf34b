#pragma once
// Physical quantities written with their units ("1GHz", "133ns", "25uS", "4KiB", "0.2V"), parsed once at
// configuration time into SI base units (s, Hz, S, B, V, A, J, W, m2, Ohm, bit/s).
#include <string>
#include <string_view>

namespace aimc {

enum class Dimension {
  kNone,
  kTime,
  kFrequency,
  kConductance,
  kBytes,
  kVoltage,
  kCurrent,
  kEnergy,
  kPower,
  kArea,
  kResistance,
  kBitRate
};

// The unit a parameter is stored in: dimension plus scale relative to the SI base (e.g. ns = {kTime, 1e-9}).
struct Unit {
  Dimension dim = Dimension::kNone;
  double scale = 1.0;
  const char* symbol = "";
};

namespace units {
inline constexpr Unit kNone{Dimension::kNone, 1.0, ""};
inline constexpr Unit kSeconds{Dimension::kTime, 1.0, "s"};
inline constexpr Unit kNs{Dimension::kTime, 1e-9, "ns"};
inline constexpr Unit kPs{Dimension::kTime, 1e-12, "ps"};
inline constexpr Unit kHz{Dimension::kFrequency, 1.0, "Hz"};
inline constexpr Unit kMHz{Dimension::kFrequency, 1e6, "MHz"};
inline constexpr Unit kGHz{Dimension::kFrequency, 1e9, "GHz"};
inline constexpr Unit kMicroSiemens{Dimension::kConductance, 1e-6, "uS"};
inline constexpr Unit kBytes{Dimension::kBytes, 1.0, "B"};
inline constexpr Unit kVolts{Dimension::kVoltage, 1.0, "V"};
inline constexpr Unit kMicroAmps{Dimension::kCurrent, 1e-6, "uA"};
inline constexpr Unit kPicoJoules{Dimension::kEnergy, 1e-12, "pJ"};
inline constexpr Unit kMilliWatts{Dimension::kPower, 1e-3, "mW"};
inline constexpr Unit kMicroWatts{Dimension::kPower, 1e-6, "uW"};
inline constexpr Unit kSquareMm{Dimension::kArea, 1e-6, "mm2"};
inline constexpr Unit kSquareUm{Dimension::kArea, 1e-12, "um2"};
inline constexpr Unit kGbitPerS{Dimension::kBitRate, 1e9, "Gbit/s"};
}  // namespace units

const char* dimension_name(Dimension d);

// Parses "<number>[<prefix>]<symbol>" for the expected dimension and returns the value in SI base units.
// A bare number is accepted only for Dimension::kNone. Throws std::invalid_argument with a reason on failure
// (the config loader turns it into a UserError naming the file and key).
double parse_quantity(std::string_view text, Dimension expected);

// Value in `unit` (e.g. 133e-9 s -> 133 for ns).
double parse_in_unit(std::string_view text, const Unit& unit);

// Shortest readable form with an SI prefix, e.g. format_quantity(1.33e-7, kTime) == "133ns".
std::string format_quantity(double value, Dimension d);

// A time since programming as people write it: "1s", "1h", "1d", "1y" (Julian year), else SI ("250ns").
std::string format_duration(double seconds);

}  // namespace aimc
