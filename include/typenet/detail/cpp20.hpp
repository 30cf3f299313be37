/// Stops a build without C++20 at its first error, which says what to do, rather than
/// after hundreds of errors about concepts and constexpr.
#pragma once

#if __cplusplus < 202002L
#error "typenet needs C++20: compile with -std=c++20 (the meson dependency and `pkg-config --cflags typenet` add it)"
// A header that cannot be found ends the compilation here, on g++ and clang++ alike.
#include <typenet_stops_here_without_cpp20>
#endif
