// Stats: groups of named statistics with unit and description, formulas, JSON.
#include <gtest/gtest.h>

#include "aimc/base/Stats.h"

namespace {

TEST(Stats, AddIncrementAndJson) {
  aimc::StatGroup g("tile");
  aimc::Stat& mvms = g.add("mvms", "count", "MVMs run");
  aimc::Stat& busy = g.add("busy_time", "ns", "Time the array integrates");
  ++mvms;
  ++mvms;
  mvms += 3;
  busy += 133.0;
  busy += 133.0;
  EXPECT_EQ(mvms.value(), 5.0);
  EXPECT_EQ(g.value("busy_time"), 266.0);
  EXPECT_EQ(g.value("absent"), 0.0);
  EXPECT_EQ(g.find("absent"), nullptr);
  ASSERT_NE(g.find("mvms"), nullptr);
  EXPECT_EQ(g.find("mvms")->unit(), "count");
  EXPECT_EQ(g.name(), "tile");
  EXPECT_EQ(g.stats().size(), 2u);
  busy.set(10.0);
  EXPECT_EQ(g.value("busy_time"), 10.0);

  g.add_formula("ns_per_mvm", "ns", "Average busy time per MVM", [&] { return busy.value() / mvms.value(); });
  const nlohmann::json j = g.to_json();
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), 3u);
  for (const char* name : {"mvms", "busy_time", "ns_per_mvm"}) {
    ASSERT_TRUE(j.contains(name)) << name;
    EXPECT_TRUE(j[name].contains("value")) << name;
    EXPECT_TRUE(j[name].contains("unit")) << name;
    EXPECT_TRUE(j[name].contains("desc")) << name;
  }
  EXPECT_EQ(j["mvms"]["value"].get<double>(), 5.0);
  EXPECT_EQ(j["mvms"]["unit"], "count");
  EXPECT_EQ(j["mvms"]["desc"], "MVMs run");
  EXPECT_EQ(j["ns_per_mvm"]["value"].get<double>(), 2.0);
  EXPECT_EQ(j["ns_per_mvm"]["unit"], "ns");
  EXPECT_EQ(j["ns_per_mvm"]["desc"], "Average busy time per MVM");

  // Formulas are evaluated when read, not when declared.
  mvms += 5;
  EXPECT_EQ(g.to_json()["ns_per_mvm"]["value"].get<double>(), 1.0);
}

TEST(Stats, EmptyGroupIsAnEmptyObject) {
  aimc::StatGroup g("empty");
  EXPECT_TRUE(g.to_json().is_object());
  EXPECT_TRUE(g.to_json().empty());
}

TEST(Stats, CountsStayExact) {
  aimc::StatGroup g("noc");
  aimc::Stat& s = g.add("bit_hops", "bit", "Bits times hops");
  for (int i = 0; i < 1000; ++i) s += 8.0;
  EXPECT_EQ(s.value(), 8000.0);
  s.set(9007199254740991.0);  // 2^53 - 1
  ++s;
  EXPECT_EQ(s.value(), 9007199254740992.0);
}

TEST(StatsDeathTest, DuplicateNameIsAnInternalError) {
  aimc::StatGroup g("adc_bank");
  g.add("conversions", "count", "ADC conversions");
  EXPECT_DEATH(g.add("conversions", "count", "again"), "internal error.*assertion.*failed.*conversions");
}

}  // namespace
