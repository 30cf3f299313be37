/// Defines `typenet::vector_kernels`: which kernels this translation unit's compiler flags
/// chose, so that a program can say (and a build can check) that it runs the fast ones.
#pragma once

#include <typenet/kernels/simd.hpp>

namespace typenet {

/// "avx512", "avx2" or "portable" (about 3× slower): the widest vectors the flags allow.
inline constexpr const char* vector_kernels = kernels::simd::native::name;

}  // namespace typenet
