/// Defines `typenet::detail::path_text`, how an error message names a file.
#pragma once

#include <filesystem>
#include <string>

namespace typenet::detail {

// The path as given: an empty one would leave a message starting with ": ".
inline std::string path_text(const std::filesystem::path& file) {
    return file.empty() ? std::string("\"\" (an empty path)") : file.string();
}

}  // namespace typenet::detail
