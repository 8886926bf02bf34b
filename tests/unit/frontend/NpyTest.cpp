#include "aimc/base/Npy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "aimc/base/Error.h"

namespace aimc {
namespace {

std::vector<uint8_t> bytesOf(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

// A hand-built .npy image: magic, version, header length, header text padded to 64 bytes, data.
std::vector<uint8_t> makeNpy(const std::string& dict, const std::vector<uint8_t>& data, int major = 1) {
  std::string header = dict;
  size_t preamble = major == 1 ? 10 : 12;
  while ((preamble + header.size() + 1) % 64) header.push_back(' ');
  header.push_back('\n');
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  uint32_t len = static_cast<uint32_t>(header.size());
  for (size_t i = 0; i < preamble - 8; ++i) out.push_back(static_cast<char>(len >> (8 * i)));
  std::vector<uint8_t> bytes = bytesOf(out + header);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

template <typename T>
std::vector<uint8_t> raw(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Expects a UserError whose message names the file and contains `field` and `fragment`.
void expectError(const std::vector<uint8_t>& file, const std::string& field, const std::string& fragment,
                 int rank = -1) {
  try {
    Npy::parse("case.npy", file, rank);
    FAIL() << "expected a UserError for " << field;
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), "case.npy");
    EXPECT_EQ(e.key(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Npy, RoundTripFloat32Int8Int32ThroughFiles) {
  std::string dir = ::testing::TempDir();
  NpyArray f = NpyArray::fromFloat32({2, 3}, {1.5f, -2.0f, 3.25f, 0.0f, 1e-7f, -1e30f});
  Npy::write(dir + "/f.npy", f);
  NpyArray f2 = Npy::read(dir + "/f.npy", 2);
  EXPECT_EQ(f2.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(f2.dtype, NpyDtype::kFloat32);
  EXPECT_EQ(f2.toFloatVector(), f.toFloatVector());
  Eigen::MatrixXf m = f2.toMatrix();
  EXPECT_EQ(m(1, 2), -1e30f);
  EXPECT_EQ(m(0, 1), -2.0f);

  Npy::write(dir + "/i8.npy", NpyArray::fromInt8({4}, {-128, -1, 0, 127}));
  EXPECT_EQ(Npy::read(dir + "/i8.npy").toInt32Vector(), (std::vector<int32_t>{-128, -1, 0, 127}));
  Npy::write(dir + "/i32.npy", NpyArray::fromInt32({2, 1, 2}, {INT32_MIN, -7, 7, INT32_MAX}));
  NpyArray i32 = Npy::read(dir + "/i32.npy", 3);
  EXPECT_EQ(i32.toInt32Vector(), (std::vector<int32_t>{INT32_MIN, -7, 7, INT32_MAX}));
  // The header is padded so that the data starts at a multiple of 64 bytes, as NumPy does.
  EXPECT_EQ(Npy::serialise(i32).size() % 64, 16u);
  // Empty arrays and scalars.
  Npy::write(dir + "/empty.npy", NpyArray::fromFloat32({0, 5}, {}));
  EXPECT_EQ(Npy::read(dir + "/empty.npy").shape, (std::vector<int64_t>{0, 5}));
  Npy::write(dir + "/scalar.npy", NpyArray::fromFloat32({}, {42.0f}));
  EXPECT_EQ(Npy::read(dir + "/scalar.npy", 0).toFloatVector(), (std::vector<float>{42.0f}));
  EXPECT_EQ(NpyArray::fromMatrix(m).toMatrix(), m);
}

TEST(Npy, ReadsNumpyWrittenTraceFiles) {
  NpyArray x = Npy::read("traces/digits_test_x.npy", 2);
  EXPECT_EQ(x.shape, (std::vector<int64_t>{450, 64}));
  std::vector<float> v = x.toFloatVector();
  for (float p : v) ASSERT_TRUE(p >= 0.0f && p <= 1.0f);
  NpyArray y = Npy::read("traces/digits_test_y.npy", 1);
  EXPECT_EQ(y.dtype, NpyDtype::kInt32);
  for (int32_t label : y.toInt32Vector()) ASSERT_TRUE(label >= 0 && label <= 9);
  EXPECT_EQ(Npy::read("traces/digits_test_x_nchw.npy", 4).shape, (std::vector<int64_t>{450, 1, 8, 8}));
}

TEST(Npy, ReadsFloat64Int64AndVersions2And3) {
  NpyArray d = Npy::parse("d.npy", makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                                           raw<double>({0.5, -1.25, 1e300}), 2));
  EXPECT_EQ(d.dtype, NpyDtype::kFloat64);
  EXPECT_EQ(d.toDoubleVector(), (std::vector<double>{0.5, -1.25, 1e300}));
  NpyArray l = Npy::parse("l.npy", makeNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }",
                                           raw<int64_t>({1, -2, 3, 5000000000LL}), 3));
  EXPECT_EQ(l.toInt64Vector(), (std::vector<int64_t>{1, -2, 3, 5000000000LL}));
  EXPECT_THROW(l.toInt32Vector(), UserError);  // 5e9 does not fit int32
  EXPECT_THROW(d.toInt32Vector(), UserError);  // float data is not integer data
}

TEST(Npy, MalformedFilesAreUserErrors) {
  const std::vector<uint8_t> six_floats = raw<float>({1, 2, 3, 4, 5, 6});
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  ASSERT_NO_THROW(Npy::parse("case.npy", makeNpy(ok, six_floats)));

  expectError(bytesOf("PK\x03\x04 this is a zip"), "magic", "not a NumPy");
  expectError(bytesOf(""), "magic", "not a NumPy");
  std::vector<uint8_t> v9 = makeNpy(ok, six_floats);
  v9[6] = 9;
  expectError(v9, "version", "9.0");
  expectError(makeNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", six_floats), "descr",
              "big-endian");
  expectError(makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", six_floats),
              "fortran_order", "Fortran");
  expectError(makeNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }", six_floats), "descr",
              "unsupported dtype");
  expectError(makeNpy("{'descr': '<f4', 'fortran_order': False, }", six_floats), "shape", "missing");
  expectError(makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", six_floats), "header",
              "integer");
  expectError(makeNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", six_floats),
              "header", "structured");
  expectError(makeNpy(ok, raw<float>({1, 2, 3, 4, 5})), "data", "truncated data");
  expectError(makeNpy(ok, raw<float>({1, 2, 3, 4, 5, 6, 7})), "data", "trailing bytes");
  expectError(makeNpy(ok, six_floats), "shape", "expected 3 dimensions", 3);
  expectError(
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
              six_floats),
      "shape", "too large");
  // A header cut short: the announced length runs past the end of the file.
  std::vector<uint8_t> cut = makeNpy(ok, six_floats);
  cut.resize(40);
  expectError(cut, "header", "truncated header");
  // Every prefix of a valid file is rejected cleanly, never a crash.
  std::vector<uint8_t> full = makeNpy(ok, six_floats);
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(Npy::parse("case.npy", prefix), UserError) << "prefix of " << n << " bytes";
  }
}

TEST(Npy, UnsupportedDtypesAreNamedNotTakenForByteOrder) {
  // uint8 and bool as NumPy writes them ('|' = byte order not applicable): the type is what is refused.
  for (const char* descr : {"|u1", "|b1", "<u2", "<f2", "|S4"}) {
    const std::string dict =
        std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (2,), }";
    expectError(makeNpy(dict, std::vector<uint8_t>(8, 0)), "descr",
                std::string("unsupported dtype '") + descr + "' in case.npy");
  }
}

TEST(Npy, RequireFiniteNamesTheFirstNanOrInfinity) {
  const float inf = std::numeric_limits<float>::infinity();
  NpyArray ok = NpyArray::fromFloat32({2, 2}, {0.0f, -1.0f, 3.5f, 1e30f});
  EXPECT_NO_THROW(Npy::require_finite(ok));
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), inf, -inf}) {
    NpyArray a = NpyArray::fromFloat32({2, 2}, {0.0f, 1.0f, bad, 2.0f});
    a.source = "x.npy";
    try {
      Npy::require_finite(a);
      FAIL() << "expected a UserError for " << bad;
    } catch (const UserError& e) {
      EXPECT_EQ(e.file(), "x.npy");
      EXPECT_EQ(e.key(), "values");
      EXPECT_NE(std::string(e.what()).find("element 2"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(Npy::require_finite(NpyArray::fromInt32({2}, {1, 2})));  // integers are always finite
}

TEST(Npy, FileLevelErrorsNameThePath) {
  try {
    Npy::read("/nonexistent/dir/x.npy");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), "/nonexistent/dir/x.npy");
    EXPECT_EQ(e.key(), "file");
  }
  NpyArray f64;
  f64.dtype = NpyDtype::kFloat64;
  f64.shape = {1};
  f64.bytes.resize(8);
  EXPECT_THROW(Npy::write(::testing::TempDir() + "/f64.npy", f64), UserError);  // writing float64 unsupported
  EXPECT_THROW(NpyArray::fromFloat32({2, 2}, {1.0f}), UserError);               // shape vs value count
}

}  // namespace
}  // namespace aimc
