#pragma once
// Walks the SystemC module hierarchy and writes every HwModule's stats into JSON that nests like the
// hierarchy: {"chip": {"stats": {...}, "core0": {"stats": {...}, "tile": {...}}}}.
#include <nlohmann/json.hpp>

namespace aimc {

nlohmann::json collect_stats();

// Sum of one stat over every module whose basename is `module` (e.g. all "tile"s), 0 if none.
double sum_stat(const std::string& module, const std::string& stat);

}  // namespace aimc
