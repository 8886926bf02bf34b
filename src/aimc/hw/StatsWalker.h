#pragma once
// Walks the SystemC module hierarchy and writes every HwModule's stats into JSON that nests like the
// hierarchy: {"chip": {"stats": {...}, "core0": {"stats": {...}, "tile": {...}}}}.
#include <nlohmann/json.hpp>

namespace aimc {

nlohmann::json collect_stats();

}  // namespace aimc
