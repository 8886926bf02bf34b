#include "aimc/numerics/ActivationFunction.h"

#include <cmath>

#include <gtest/gtest.h>

namespace aimc {
namespace {

TEST(ActivationFunctionTest, ValuesMatchTheirDefinitions) {
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kRelu}, -2.0), 0.0);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kLeakyRelu, 0.01}, -2.0), -0.02);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kHardtanh, -1.0, 1.0}, 3.0), 1.0);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kHardSigmoid, 0.2, 0.5}, 1.0), 0.7);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kHardSwish}, 1.0), 1.0 * (1.0 / 6.0 + 0.5));
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kHardSwish}, -4.0), 0.0);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kSigmoid}, 0.0), 0.5);
  EXPECT_NEAR(activation_value({ActivationKind::kTanh}, 0.5), 0.46211715726, 1e-10);
  // GELU(1) = Phi(1) = 0.841344746...; the tanh form is within 1e-3 of it.
  EXPECT_NEAR(activation_value({ActivationKind::kGelu}, 1.0), 0.8413447461, 1e-9);
  EXPECT_NEAR(activation_value({ActivationKind::kGeluTanh}, 1.0), 0.8413447461, 1e-3);
  EXPECT_NEAR(activation_value({ActivationKind::kSilu}, 1.0), 0.7310585786, 1e-9);
  EXPECT_NEAR(activation_value({ActivationKind::kElu, 1.0}, -1.0), std::exp(-1.0) - 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kCos}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(activation_value({ActivationKind::kSin}, 0.0), 0.0);
}

TEST(ActivationFunctionTest, NamesAndKindsRoundTrip) {
  for (const auto& n : kActivationKindNames) {
    ActivationKind parsed = ActivationKind::kRelu;
    ASSERT_TRUE(parse_enum(n.name, &parsed)) << n.name;
    EXPECT_EQ(parsed, n.value);
  }
  EXPECT_EQ(ActivationSpec({ActivationKind::kHardtanh, -1, 1}).describe(), "hardtanh(-1, 1)");
  EXPECT_TRUE(is_piecewise_linear(ActivationKind::kHardSigmoid));
  EXPECT_FALSE(is_piecewise_linear(ActivationKind::kHardSwish));
  EXPECT_FALSE(is_piecewise_linear(ActivationKind::kGelu));
}

}  // namespace
}  // namespace aimc
