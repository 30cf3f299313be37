/// Defines `typenet::data::data_error`, the error every data set reader throws.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include <typenet/detail/path_text.hpp>

namespace typenet::data {

/// A data file that cannot be read as what it claims to be. The message names the file
/// first, then what is wrong and where:
///
///     train-images-idx3-ubyte.gz: truncated: header says 60000 images of 28x28
///     (47040000 bytes), file has 1234 bytes of pixels
struct data_error : std::runtime_error {
    data_error(const std::filesystem::path& file, std::string_view problem)
        : std::runtime_error(fmt::format("{}: {}", typenet::detail::path_text(file), problem)) {}
};

}  // namespace typenet::data
