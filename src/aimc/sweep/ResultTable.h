#pragma once
// A results file as a flat table, one row per point: identity, status, the axis values, the metrics, the
// host time and the error. Written as CSV by `aimcsim results export`.
#include <iosfwd>
#include <string>
#include <vector>

#include "aimc/sweep/ResultStore.h"

namespace aimc {

class ResultTable {
 public:
  explicit ResultTable(const ResultStore& store);

  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

  void write_csv(std::ostream& out) const;  // RFC 4180 quoting
  void write_csv(const std::string& path) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace aimc
