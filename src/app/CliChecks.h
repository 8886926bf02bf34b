#pragma once
// Checks of command-line numbers, shared by the subcommands. CLI11's NonNegativeNumber and PositiveNumber
// print their bound DBL_MAX as 309 digits and accept 1e3 or 2.5 for a count; these take whole numbers only,
// say the bound in words, and refuse what the option's integer type would wrap (-1 for a uint64_t, 2^64).
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

namespace aimcsim {

// A whole decimal number >= lo that fits an int64_t (counts, limits).
inline CLI::Validator at_least(int64_t lo) {
  return CLI::Validator(
      [lo](std::string& s) -> std::string {
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc::result_out_of_range) return "'" + s + "' is too large";
        if (ec != std::errc() || end != s.data() + s.size()) return "'" + s + "' is not a whole number";
        if (v < lo) return "must be at least " + std::to_string(lo) + ", got " + s;
        return "";
      },
      ">= " + std::to_string(lo));
}

// A seed: a whole decimal number in [0, 2^64 - 1].
inline CLI::Validator seed_value() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || s[0] == '-' || ec != std::errc() || end != s.data() + s.size())
          return "'" + s + "' is not a seed: a whole number in [0, " +
                 std::to_string(std::numeric_limits<uint64_t>::max()) + "]";
        return "";
      },
      "SEED in [0, 2^64-1]");
}

}  // namespace aimcsim
