#pragma once
// Reading an input file whole, bounded: only a regular file is read (a directory, a character device such as
// /dev/zero, a FIFO or a socket is a UserError "not a regular file"), and never more bytes than its size at
// open time (a file that grows meanwhile is read up to that size). Every reader of the tool (NPY, ELF, ONNX,
// YAML) opens its file through here.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace aimc {

// what: names the file's role in errors (a key such as "file", "--inputs", "arch"). max_bytes: a larger file
// is a UserError naming its size and the limit.
std::string read_regular_file(const std::string& path, const std::string& what,
                              uint64_t max_bytes = std::numeric_limits<uint64_t>::max());
// The same as bytes (the NPY reader keeps them as its array's elements).
std::vector<uint8_t> read_regular_file_bytes(const std::string& path, const std::string& what,
                                             uint64_t max_bytes = std::numeric_limits<uint64_t>::max());

}  // namespace aimc
