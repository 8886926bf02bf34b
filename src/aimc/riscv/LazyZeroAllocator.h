#pragma once
// An allocator for the ISS's RAM regions: memory comes from calloc, whose large blocks are fresh pages the
// kernel maps (zeroed) on first touch, and default construction is a no-op. A 1 GiB .bss then costs only the
// pages the program touches, not 1 GiB of memset at load (issue 21). For trivially copyable T whose all-zero
// bytes are a valid value (the RAM's bytes).
#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace aimc::riscv {

template <typename T>
struct LazyZeroAllocator {
  static_assert(std::is_trivially_copyable_v<T>, "zero bytes must be a value of T");
  using value_type = T;

  LazyZeroAllocator() = default;
  template <typename U>
  explicit LazyZeroAllocator(const LazyZeroAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    void* p = std::calloc(n, sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }

  // Value-initialisation (resize) keeps calloc's zero bytes; any other construction is the usual one.
  template <typename U>
  void construct(U*) noexcept {}
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const LazyZeroAllocator<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const LazyZeroAllocator<U>&) const noexcept {
    return false;
  }
};

}  // namespace aimc::riscv
