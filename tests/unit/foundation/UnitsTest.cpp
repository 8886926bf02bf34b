// Units: parsing quantities written with their units, the errors for bad ones, and format/parse round trips.
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include <stdexcept>
#include <string>

#include "aimc/base/Units.h"

namespace {

using aimc::Dimension;
using aimc::format_quantity;
using aimc::parse_in_unit;
using aimc::parse_quantity;

void expect_rel(double got, double want, double rel = 1e-12) {
  EXPECT_NEAR(got, want, std::abs(want) * rel) << "got " << got << " want " << want;
}

// The reason parse_quantity gives for `text` (fails the test if it does not throw).
std::string error_of(const std::string& text, Dimension d) {
  try {
    parse_quantity(text, d);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "'" << text << "' parsed without error";
  return "";
}

TEST(Units, ParsesEveryDimension) {
  expect_rel(parse_quantity("1GHz", Dimension::kFrequency), 1e9);
  expect_rel(parse_quantity("133ns", Dimension::kTime), 133e-9);
  expect_rel(parse_quantity("25uS", Dimension::kConductance), 25e-6);
  EXPECT_EQ(parse_quantity("4KiB", Dimension::kBytes), 4096.0);
  EXPECT_EQ(parse_quantity("64KiB", Dimension::kBytes), 65536.0);
  EXPECT_EQ(parse_quantity("1MiB", Dimension::kBytes), 1048576.0);
  expect_rel(parse_quantity("4kB", Dimension::kBytes), 4000.0);
  expect_rel(parse_quantity("0.2V", Dimension::kVoltage), 0.2);
  expect_rel(parse_quantity("700uA", Dimension::kCurrent), 700e-6);
  expect_rel(parse_quantity("0.635mm2", Dimension::kArea), 0.635e-6);  // the prefix is squared
  expect_rel(parse_quantity("9.689um2", Dimension::kArea), 9.689e-12);
  expect_rel(parse_quantity("3.2Gbit/s", Dimension::kBitRate), 3.2e9);
  expect_rel(parse_quantity("5pJ", Dimension::kEnergy), 5e-12);
  expect_rel(parse_quantity("2mW", Dimension::kPower), 2e-3);
  expect_rel(parse_quantity("100kOhm", Dimension::kResistance), 1e5);
  expect_rel(parse_quantity("300ps", Dimension::kTime), 300e-12);
  expect_rel(parse_quantity("1s", Dimension::kTime), 1.0);
  expect_rel(parse_quantity("2min", Dimension::kTime), 120.0);
  EXPECT_EQ(parse_quantity("1h", Dimension::kTime), 3600.0);
  EXPECT_EQ(parse_quantity("1d", Dimension::kTime), 86400.0);
  EXPECT_EQ(parse_quantity("1y", Dimension::kTime), 365.25 * 86400.0);  // Julian year
  EXPECT_EQ(parse_quantity("42", Dimension::kNone), 42.0);
  expect_rel(parse_quantity("  10 ns ", Dimension::kTime), 10e-9);  // spaces around and before the unit
}

TEST(Units, ParseInUnitScalesToTheFieldUnit) {
  expect_rel(parse_in_unit("133ns", aimc::units::kNs), 133.0);
  expect_rel(parse_in_unit("1GHz", aimc::units::kMHz), 1000.0);
  expect_rel(parse_in_unit("1GHz", aimc::units::kGHz), 1.0);
  expect_rel(parse_in_unit("300ps", aimc::units::kPs), 300.0);
  expect_rel(parse_in_unit("0.3ns", aimc::units::kPs), 300.0);
  expect_rel(parse_in_unit("25uS", aimc::units::kMicroSiemens), 25.0);
  expect_rel(parse_in_unit("0.635mm2", aimc::units::kSquareMm), 0.635);
  expect_rel(parse_in_unit("0.635mm2", aimc::units::kSquareUm), 635000.0);
  expect_rel(parse_in_unit("3.2Gbit/s", aimc::units::kGbitPerS), 3.2);
  expect_rel(parse_in_unit("101mW", aimc::units::kMilliWatts), 101.0);
  expect_rel(parse_in_unit("0.52pJ", aimc::units::kPicoJoules), 0.52);
  expect_rel(parse_in_unit("700uA", aimc::units::kMicroAmps), 700.0);
  EXPECT_EQ(parse_in_unit("4KiB", aimc::units::kBytes), 4096.0);
  EXPECT_EQ(parse_in_unit("1h", aimc::units::kSeconds), 3600.0);
  EXPECT_EQ(parse_in_unit("7", aimc::units::kNone), 7.0);
}

TEST(Units, WrongDimensionNamesBoth) {
  const std::string e = error_of("1GHz", Dimension::kTime);
  EXPECT_NE(e.find("'1GHz'"), std::string::npos) << e;
  EXPECT_NE(e.find("frequency"), std::string::npos) << e;
  EXPECT_NE(e.find("expected a time"), std::string::npos) << e;
  const std::string e2 = error_of("5ns", Dimension::kFrequency);
  EXPECT_NE(e2.find("is a time"), std::string::npos) << e2;
  EXPECT_NE(e2.find("expected a frequency"), std::string::npos) << e2;
  const std::string e3 = error_of("1GHz", Dimension::kNone);
  EXPECT_NE(e3.find("has a unit, expected a plain number"), std::string::npos) << e3;
  // Retention-scale suffixes are only times.
  EXPECT_NE(error_of("1h", Dimension::kFrequency).find("unknown unit 'h'"), std::string::npos);
}

TEST(Units, UnknownUnit) {
  const std::string e = error_of("5furlongs", Dimension::kTime);
  EXPECT_NE(e.find("unknown unit 'furlongs'"), std::string::npos) << e;
  EXPECT_NE(e.find("expected a time"), std::string::npos) << e;
  EXPECT_NE(error_of("5xHz", Dimension::kFrequency).find("unknown unit 'xHz'"), std::string::npos);
}

TEST(Units, MissingUnit) {
  const std::string e = error_of("133", Dimension::kTime);
  EXPECT_NE(e.find("'133' has no unit"), std::string::npos) << e;
  EXPECT_NE(e.find("expected a time"), std::string::npos) << e;
  EXPECT_NE(error_of("", Dimension::kTime).find("empty value"), std::string::npos);
  EXPECT_NE(error_of("   ", Dimension::kVoltage).find("empty value"), std::string::npos);
}

TEST(Units, BinaryPrefixOnlyForBytes) {
  for (const char* t : {"4KiHz", "1MiV", "2GiS"}) {
    const std::string e = error_of(t, Dimension::kFrequency);
    EXPECT_NE(e.find("binary prefixes"), std::string::npos) << t << ": " << e;
  }
  EXPECT_NE(error_of("1Gibit/s", Dimension::kBitRate).find("binary prefixes"), std::string::npos);
}

TEST(Units, Garbage) {
  EXPECT_NE(error_of("fast", Dimension::kFrequency).find("'fast' is not a frequency"), std::string::npos);
  EXPECT_NE(error_of("eight", Dimension::kNone).find("'eight' is not a plain number"), std::string::npos);
  EXPECT_NE(error_of("infHz", Dimension::kFrequency).find("not a finite number"), std::string::npos);
  EXPECT_NE(error_of("nan", Dimension::kNone).find("not a finite number"), std::string::npos);
  EXPECT_FALSE(error_of("1..2ns", Dimension::kTime).empty());
  EXPECT_FALSE(error_of("8 bits", Dimension::kNone).empty());
}

TEST(Units, FormatQuantity) {
  EXPECT_EQ(format_quantity(1.33e-7, Dimension::kTime), "133ns");
  EXPECT_EQ(format_quantity(1e9, Dimension::kFrequency), "1GHz");
  EXPECT_EQ(format_quantity(3600, Dimension::kTime), "3.6ks");
  EXPECT_EQ(format_quantity(25e-6, Dimension::kConductance), "25uS");
  EXPECT_EQ(format_quantity(3.2e9, Dimension::kBitRate), "3.2Gbit/s");
  EXPECT_EQ(format_quantity(0.0, Dimension::kTime), "0s");
  EXPECT_EQ(format_quantity(42, Dimension::kNone), "42");
}

TEST(Units, FormatParseRoundTrip) {
  struct Case {
    double v;
    Dimension d;
  };
  const Case cases[] = {
      {1.33e-7, Dimension::kTime},      {3e-10, Dimension::kTime},     {3600.0, Dimension::kTime},
      {31557600.0, Dimension::kTime},   {1e9, Dimension::kFrequency},  {4e8, Dimension::kFrequency},
      {25e-6, Dimension::kConductance}, {4096.0, Dimension::kBytes},   {65536.0, Dimension::kBytes},
      {0.2, Dimension::kVoltage},       {7e-4, Dimension::kCurrent},   {5.2e-13, Dimension::kEnergy},
      {0.101, Dimension::kPower},       {0.635e-6, Dimension::kArea},  {89.0e-6, Dimension::kArea},
      {9.689e-12, Dimension::kArea},    {1e5, Dimension::kResistance}, {3.2e9, Dimension::kBitRate},
      {-0.25, Dimension::kVoltage},     {0.0709, Dimension::kNone},    {0.0, Dimension::kEnergy}};
  for (const auto& c : cases) {
    const std::string text = format_quantity(c.v, c.d);
    double back = 0;
    ASSERT_NO_THROW(back = parse_quantity(text, c.d)) << text;
    EXPECT_NEAR(back, c.v, std::abs(c.v) * 1e-6) << text;
  }
}

}  // namespace
