#pragma once
// One name table per enum: the single list of the names a choice is written with (in YAML, `--set`,
// `aimcsim params` and every report). An enum E opts in with a function `enum_names(E)` in E's namespace
// returning its table; config/ParamTable.h finds it by argument-dependent lookup, so an arch key of type E
// takes its allowed values and its parsing from the same table.
#include <string>

namespace aimc {

template <class E>
struct EnumName {
  E value;
  const char* name;
};

// The name of `value` in its table ("?" for a value the table lacks: a broken table, never user input).
template <class E>
const char* enum_name(E value) {
  for (const EnumName<E>& n : enum_names(value))
    if (n.value == value) return n.name;
  return "?";
}

// The value named `text`; false (and *value unchanged) for a name the table lacks.
template <class E>
bool parse_enum(const std::string& text, E* value) {
  for (const EnumName<E>& n : enum_names(*value)) {
    if (text == n.name) {
      *value = n.value;
      return true;
    }
  }
  return false;
}

}  // namespace aimc
