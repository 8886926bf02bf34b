#pragma once
// NumPy .npy files (format versions 1.0, 2.0, 3.0; https://numpy.org/doc/stable/reference/generated/
// numpy.lib.format.html): the exchange format for traces (inputs, labels) and outputs (logits, activations).
// Read: little-endian, C-order float32, float64, int8, int32, int64. Write: float32, int8, int32
// (version 1.0). Anything else, and any malformed or truncated file, is an aimc::UserError naming the file
// and the field.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace aimc {

enum class NpyDtype { kFloat32, kFloat64, kInt8, kInt32, kInt64 };

// "<f4", "<f8", "|i1", "<i4", "<i8" — the descr string NumPy writes.
const char* npyDescr(NpyDtype dtype);
int npyItemSize(NpyDtype dtype);

// One array as stored: shape (C order), element type and the raw little-endian element bytes.
struct NpyArray {
  std::vector<int64_t> shape;
  NpyDtype dtype = NpyDtype::kFloat32;
  std::vector<uint8_t> bytes;
  std::string source;  // file it was read from ("" if built in memory); named in conversion errors

  int64_t elementCount() const;
  // Every element converted to float / double (integers exactly where representable).
  std::vector<float> toFloatVector() const;
  std::vector<double> toDoubleVector() const;
  // Integer arrays only (int8/int32/int64); an int64 value outside int32 is a UserError.
  std::vector<int32_t> toInt32Vector() const;
  std::vector<int64_t> toInt64Vector() const;
  // Rows = shape[0], columns = product of the other dimensions (a rank-1 array is one column). Row-major
  // order of the file is kept: element (r, c) is flat index r * cols + c.
  Eigen::MatrixXf toMatrix() const;

  static NpyArray fromFloat32(std::vector<int64_t> shape, const std::vector<float>& values);
  static NpyArray fromInt8(std::vector<int64_t> shape, const std::vector<int8_t>& values);
  static NpyArray fromInt32(std::vector<int64_t> shape, const std::vector<int32_t>& values);
  // [rows, cols] float32, row-major.
  static NpyArray fromMatrix(const Eigen::MatrixXf& matrix);
};

class Npy {
 public:
  // Reads a whole file. expected_rank >= 0 also checks the number of dimensions (UserError "shape" if not).
  static NpyArray read(const std::string& path, int expected_rank = -1);
  // Parses an in-memory image of a file; `path` only names it in errors.
  static NpyArray parse(const std::string& path, const std::vector<uint8_t>& file_bytes,
                        int expected_rank = -1);
  // Writes version 1.0 (or 2.0 if the header would not fit); dtype must be float32, int8 or int32.
  static void write(const std::string& path, const NpyArray& array);
  // Every float element finite; NaN or infinity is a UserError naming the file and the first such element
  // (integer arrays pass). The one check of every command that reads input values (run, mvm).
  static void require_finite(const NpyArray& array);
  static std::vector<uint8_t> serialise(const NpyArray& array, const std::string& path_for_errors = "");
  // The magic, version and header of an array of `shape` and `dtype` (float32, int8 or int32): what precedes
  // the elements, for a writer that streams them (NpyStreamWriter).
  static std::vector<uint8_t> header(NpyDtype dtype, const std::vector<int64_t>& shape,
                                     const std::string& path_for_errors = "");

 private:
  // `owned`: the vector `data` points into, whose bytes become the elements (else they are copied).
  static NpyArray parse_image(const std::string& path, const uint8_t* data, size_t size, int expected_rank,
                              std::vector<uint8_t>* owned = nullptr);
};

}  // namespace aimc
