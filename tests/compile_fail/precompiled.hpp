// What every compile-fail case includes, precompiled once per build (meson.build): the
// cases then spend their seconds on their own networks, not on parsing typenet again.
#include <typenet/typenet.hpp>
