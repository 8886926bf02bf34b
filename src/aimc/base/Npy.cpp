#include "aimc/base/Npy.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"

namespace aimc {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// NumPy pads the preamble + header to a multiple of 64 bytes (format spec, "version 1.0").
constexpr size_t kHeaderAlignment = 64;

// One value of the header dictionary: a quoted string, True/False, or a tuple of integers.
struct HeaderValue {
  enum class Kind { kString, kBool, kTuple } kind = Kind::kString;
  std::string text;
  bool flag = false;
  std::vector<int64_t> tuple;
};

// Parses the Python dict literal of a .npy header, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2,
// 3), }. Only what NumPy writes is accepted; every deviation is a UserError under key "header".
class HeaderParser {
 public:
  HeaderParser(const std::string& path, const std::string& text) : path_(path), text_(text) {}

  std::map<std::string, HeaderValue> parse() {
    std::map<std::string, HeaderValue> dict;
    skipSpace();
    expect('{');
    skipSpace();
    while (peek() != '}') {
      std::string key = parseString();
      skipSpace();
      expect(':');
      skipSpace();
      dict[key] = parseValue();
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        skipSpace();
      } else if (peek() != '}') {
        fail("expected ',' or '}' at offset " + std::to_string(pos_));
      }
    }
    return dict;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw UserError(path_, 0, "header", why); }
  char peek() const {
    if (pos_ >= text_.size()) fail("header dictionary ends early");
    return text_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  std::string parseString() {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      fail("expected a quoted key or string at offset " + std::to_string(pos_));
    ++pos_;
    size_t end = text_.find(quote, pos_);
    if (end == std::string::npos) fail("unterminated string");
    std::string s = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  int64_t parseInteger() {
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      int digit = text_[pos_] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) fail("shape dimension too large");
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ == start) fail("expected a non-negative integer in 'shape' at offset " + std::to_string(pos_));
    // Python 2 era files may write 3L.
    if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;
    return value;
  }
  HeaderValue parseValue() {
    HeaderValue v;
    char c = peek();
    if (c == '\'' || c == '"') {
      v.kind = HeaderValue::Kind::kString;
      v.text = parseString();
    } else if (text_.compare(pos_, 4, "True") == 0) {
      v.kind = HeaderValue::Kind::kBool;
      v.flag = true;
      pos_ += 4;
    } else if (text_.compare(pos_, 5, "False") == 0) {
      v.kind = HeaderValue::Kind::kBool;
      pos_ += 5;
    } else if (c == '(') {
      v.kind = HeaderValue::Kind::kTuple;
      ++pos_;
      skipSpace();
      while (peek() != ')') {
        v.tuple.push_back(parseInteger());
        skipSpace();
        if (peek() == ',') {
          ++pos_;
          skipSpace();
        } else if (peek() != ')') {
          fail("expected ',' or ')' in 'shape' at offset " + std::to_string(pos_));
        }
      }
      ++pos_;
    } else {
      fail("unsupported value at offset " + std::to_string(pos_) + " (structured dtypes are not supported)");
    }
    return v;
  }

  const std::string& path_;
  const std::string& text_;
  size_t pos_ = 0;
};

NpyDtype dtypeFromDescr(const std::string& path, const std::string& descr) {
  if (descr.size() < 2) throw UserError(path, 0, "descr", "unknown dtype '" + descr + "'");
  char order = descr[0];
  std::string kind = descr.substr(1);
  bool single_byte = kind == "i1";
  // The element type first: an unsupported type (uint8 '|u1', bool '|b1', ...) is named as such, whatever
  // its byte-order character.
  if (kind != "f4" && kind != "f8" && kind != "i1" && kind != "i4" && kind != "i8")
    throw UserError(path, 0, "descr",
                    "unsupported dtype '" + descr + "' in " + path + " (supported: <f4, <f8, |i1, <i4, <i8)");
  if (order == '>') throw UserError(path, 0, "descr", "big-endian data ('" + descr + "') is not supported");
  if (order != '<' && !(order == '|' && single_byte))
    throw UserError(path, 0, "descr", "byte order of '" + descr + "' is not little-endian ('<')");
  if (kind == "f4") return NpyDtype::kFloat32;
  if (kind == "f8") return NpyDtype::kFloat64;
  if (kind == "i1") return NpyDtype::kInt8;
  if (kind == "i4") return NpyDtype::kInt32;
  if (kind == "i8") return NpyDtype::kInt64;
  AIMC_ASSERT(false);
  return NpyDtype::kFloat32;
}

// The bytes of a file as read (not owned).
struct FileImage {
  const uint8_t* first;
  size_t count;
  size_t size() const { return count; }
  const uint8_t* data() const { return first; }
  const uint8_t* begin() const { return first; }
  const uint8_t* end() const { return first + count; }
  uint8_t operator[](size_t i) const { return first[i]; }
};

uint32_t readLittleEndian(const uint8_t* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

template <typename T>
T loadElement(const uint8_t* p) {
  // The host is little-endian (x86-64 / AArch64 Linux); memcpy avoids unaligned access.
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename Out>
std::vector<Out> convertAll(const NpyArray& a) {
  std::vector<Out> out(static_cast<size_t>(a.elementCount()));
  const uint8_t* p = a.bytes.data();
  for (size_t i = 0; i < out.size(); ++i) {
    switch (a.dtype) {
      case NpyDtype::kFloat32:
        out[i] = static_cast<Out>(loadElement<float>(p + 4 * i));
        break;
      case NpyDtype::kFloat64:
        out[i] = static_cast<Out>(loadElement<double>(p + 8 * i));
        break;
      case NpyDtype::kInt8: {
        const int8_t v = loadElement<int8_t>(p + i);  // a number: sign-extends
        out[i] = static_cast<Out>(v);
        break;
      }
      case NpyDtype::kInt32:
        out[i] = static_cast<Out>(loadElement<int32_t>(p + 4 * i));
        break;
      case NpyDtype::kInt64:
        out[i] = static_cast<Out>(loadElement<int64_t>(p + 8 * i));
        break;
    }
  }
  return out;
}

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

template <typename T>
NpyArray fromValues(std::vector<int64_t> shape, const std::vector<T>& values, NpyDtype dtype) {
  NpyArray a;
  a.shape = std::move(shape);
  a.dtype = dtype;
  if (a.elementCount() != static_cast<int64_t>(values.size()))
    throw UserError("", 0, "shape",
                    "shape " + shapeText(a.shape) + " needs " + std::to_string(a.elementCount()) +
                        " elements but " + std::to_string(values.size()) + " were given");
  a.bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
  return a;
}

}  // namespace

const char* npyDescr(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::kFloat32:
      return "<f4";
    case NpyDtype::kFloat64:
      return "<f8";
    case NpyDtype::kInt8:
      return "|i1";
    case NpyDtype::kInt32:
      return "<i4";
    case NpyDtype::kInt64:
      return "<i8";
  }
  AIMC_ASSERT(false);
  return "";
}

int npyItemSize(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::kFloat32:
      return 4;
    case NpyDtype::kFloat64:
      return 8;
    case NpyDtype::kInt8:
      return 1;
    case NpyDtype::kInt32:
      return 4;
    case NpyDtype::kInt64:
      return 8;
  }
  AIMC_ASSERT(false);
  return 0;
}

int64_t NpyArray::elementCount() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<float> NpyArray::toFloatVector() const {
  return convertAll<float>(*this);
}
std::vector<double> NpyArray::toDoubleVector() const {
  return convertAll<double>(*this);
}

void Npy::require_finite(const NpyArray& array) {
  if (array.dtype != NpyDtype::kFloat32 && array.dtype != NpyDtype::kFloat64) return;
  // Element by element from the bytes: no converted copy of a large array (issue 20).
  const bool single = array.dtype == NpyDtype::kFloat32;
  const size_t count = static_cast<size_t>(array.elementCount());
  for (size_t i = 0; i < count; ++i) {
    const double v = single ? loadElement<float>(array.bytes.data() + 4 * i)
                            : loadElement<double>(array.bytes.data() + 8 * i);
    if (!std::isfinite(v))
      throw UserError(
          array.source, 0, "values",
          "contain NaN or infinity (element " + std::to_string(i) + " is " + std::to_string(v) + ")");
  }
}

std::vector<int64_t> NpyArray::toInt64Vector() const {
  if (dtype == NpyDtype::kFloat32 || dtype == NpyDtype::kFloat64)
    throw UserError(source, 0, "descr",
                    std::string("expected integer data but the file holds ") + npyDescr(dtype));
  return convertAll<int64_t>(*this);
}

std::vector<int32_t> NpyArray::toInt32Vector() const {
  std::vector<int64_t> wide = toInt64Vector();
  std::vector<int32_t> out(wide.size());
  for (size_t i = 0; i < wide.size(); ++i) {
    if (wide[i] < std::numeric_limits<int32_t>::min() || wide[i] > std::numeric_limits<int32_t>::max())
      throw UserError(
          source, 0, "data",
          "element " + std::to_string(i) + " = " + std::to_string(wide[i]) + " does not fit int32");
    out[i] = static_cast<int32_t>(wide[i]);
  }
  return out;
}

Eigen::MatrixXf NpyArray::toMatrix() const {
  if (shape.empty()) throw UserError(source, 0, "shape", "a scalar array cannot be read as a matrix");
  int64_t rows = shape[0];
  int64_t cols = rows == 0 ? 0 : elementCount() / rows;
  if (shape.size() == 1) cols = 1;
  Eigen::MatrixXf m(rows, cols);
  if (m.size() == 0) return m;  // (huge, 0) must not loop over its rows
  std::vector<float> values = toFloatVector();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) m(r, c) = values[static_cast<size_t>(r * cols + c)];
  return m;
}

NpyArray NpyArray::fromFloat32(std::vector<int64_t> shape, const std::vector<float>& values) {
  return fromValues(std::move(shape), values, NpyDtype::kFloat32);
}
NpyArray NpyArray::fromInt8(std::vector<int64_t> shape, const std::vector<int8_t>& values) {
  return fromValues(std::move(shape), values, NpyDtype::kInt8);
}
NpyArray NpyArray::fromInt32(std::vector<int64_t> shape, const std::vector<int32_t>& values) {
  return fromValues(std::move(shape), values, NpyDtype::kInt32);
}
NpyArray NpyArray::fromMatrix(const Eigen::MatrixXf& matrix) {
  std::vector<float> values(static_cast<size_t>(matrix.size()));
  for (Eigen::Index r = 0; r < matrix.rows(); ++r)
    for (Eigen::Index c = 0; c < matrix.cols(); ++c)
      values[static_cast<size_t>(r * matrix.cols() + c)] = matrix(r, c);
  return fromFloat32({matrix.rows(), matrix.cols()}, values);
}

NpyArray Npy::read(const std::string& path, int expected_rank) {
  // The file's bytes become the array's elements (the header erased in place): one copy of a large file in
  // memory, not three (issue 20).
  std::vector<uint8_t> file = read_regular_file_bytes(path, "file");
  return parse_image(path, file.data(), file.size(), expected_rank, &file);
}

NpyArray Npy::parse(const std::string& path, const std::vector<uint8_t>& file_bytes, int expected_rank) {
  return parse_image(path, file_bytes.data(), file_bytes.size(), expected_rank);
}

NpyArray Npy::parse_image(const std::string& path, const uint8_t* data, size_t size, int expected_rank,
                          std::vector<uint8_t>* owned) {
  const FileImage file{data, size};
  if (file.size() < kMagicSize + 2 || std::memcmp(file.data(), kMagic, kMagicSize) != 0)
    throw UserError(path, 0, "magic", "not a NumPy .npy file (the first bytes are not \\x93NUMPY)");
  int major = file[kMagicSize];
  int minor = file[kMagicSize + 1];
  if (major < 1 || major > 3 || minor != 0)
    throw UserError(path, 0, "version",
                    "unsupported format version " + std::to_string(major) + "." + std::to_string(minor) +
                        " (supported: 1.0, 2.0, 3.0)");
  int length_bytes = major == 1 ? 2 : 4;
  size_t preamble = kMagicSize + 2 + static_cast<size_t>(length_bytes);
  if (file.size() < preamble) throw UserError(path, 0, "header", "file ends inside the header length field");
  size_t header_length = readLittleEndian(file.data() + kMagicSize + 2, length_bytes);
  if (file.size() < preamble + header_length)
    throw UserError(path, 0, "header",
                    "truncated header: " + std::to_string(header_length) + " bytes announced, " +
                        std::to_string(file.size() - preamble) + " present");
  std::string header_text(reinterpret_cast<const char*>(file.data() + preamble), header_length);
  std::map<std::string, HeaderValue> dict = HeaderParser(path, header_text).parse();

  auto field = [&](const char* key, HeaderValue::Kind kind) -> const HeaderValue& {
    auto it = dict.find(key);
    if (it == dict.end()) throw UserError(path, 0, key, "missing from the header");
    if (it->second.kind != kind) throw UserError(path, 0, key, "has the wrong type in the header");
    return it->second;
  };
  NpyArray array;
  array.source = path;
  array.dtype = dtypeFromDescr(path, field("descr", HeaderValue::Kind::kString).text);
  if (field("fortran_order", HeaderValue::Kind::kBool).flag)
    throw UserError(path, 0, "fortran_order", "Fortran-order (column-major) arrays are not supported");
  array.shape = field("shape", HeaderValue::Kind::kTuple).tuple;
  if (expected_rank >= 0 && static_cast<int>(array.shape.size()) != expected_rank)
    throw UserError(path, 0, "shape",
                    "expected " + std::to_string(expected_rank) + " dimensions but the array has shape " +
                        shapeText(array.shape));

  // Element count with overflow checks: the header is untrusted.
  uint64_t count = 1;
  const uint64_t limit = std::numeric_limits<uint64_t>::max() / 8;
  for (int64_t d : array.shape) {
    if (d != 0 && count > limit / static_cast<uint64_t>(d))
      throw UserError(path, 0, "shape", "shape " + shapeText(array.shape) + " is too large");
    count *= static_cast<uint64_t>(d);
  }
  uint64_t data_bytes = count * static_cast<uint64_t>(npyItemSize(array.dtype));
  uint64_t present = file.size() - preamble - header_length;
  if (present != data_bytes)
    throw UserError(path, 0, "data",
                    std::string(present < data_bytes ? "truncated data" : "trailing bytes after the data") +
                        ": shape " + shapeText(array.shape) + " of " + npyDescr(array.dtype) + " needs " +
                        std::to_string(data_bytes) + " bytes, the file holds " + std::to_string(present));
  const auto data_begin = static_cast<std::ptrdiff_t>(preamble + header_length);
  if (owned) {
    owned->erase(owned->begin(), owned->begin() + data_begin);
    array.bytes = std::move(*owned);
  } else {
    array.bytes.assign(file.begin() + data_begin, file.end());
  }
  return array;
}

std::vector<uint8_t> Npy::header(NpyDtype dtype, const std::vector<int64_t>& shape, const std::string& path) {
  if (dtype != NpyDtype::kFloat32 && dtype != NpyDtype::kInt8 && dtype != NpyDtype::kInt32)
    throw UserError(
        path, 0, "descr",
        std::string("writing ") + npyDescr(dtype) + " is not supported (float32, int8 and int32 are)");
  std::string header = std::string("{'descr': '") + npyDescr(dtype) +
                       "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
  int major = 1;
  size_t preamble = kMagicSize + 2 + 2;
  if (header.size() + preamble + 1 > 65535) {
    major = 2;
    preamble = kMagicSize + 2 + 4;
  }
  size_t total = preamble + header.size() + 1;
  size_t padded = (total + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment;
  header.append(padded - total, ' ');
  header.push_back('\n');
  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(static_cast<uint8_t>(major));
  out.push_back(0);
  uint32_t length = static_cast<uint32_t>(header.size());
  for (size_t i = 0; i < preamble - kMagicSize - 2; ++i)
    out.push_back(static_cast<uint8_t>(length >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  return out;
}

std::vector<uint8_t> Npy::serialise(const NpyArray& array, const std::string& path) {
  std::vector<uint8_t> out = header(array.dtype, array.shape, path);
  if (static_cast<int64_t>(array.bytes.size()) != array.elementCount() * npyItemSize(array.dtype))
    throw UserError(path, 0, "data", "byte count does not match shape " + shapeText(array.shape));
  out.insert(out.end(), array.bytes.begin(), array.bytes.end());
  return out;
}

void Npy::write(const std::string& path, const NpyArray& array) {
  // The header and then the elements straight from the array: no serialised copy of a large array.
  const std::vector<uint8_t> head = header(array.dtype, array.shape, path);
  if (static_cast<int64_t>(array.bytes.size()) != array.elementCount() * npyItemSize(array.dtype))
    throw UserError(path, 0, "data", "byte count does not match shape " + shapeText(array.shape));
  AtomicFile file(path, "file");
  file.write(head.data(), head.size());
  file.write(array.bytes.data(), array.bytes.size());
  file.commit();
}

}  // namespace aimc
