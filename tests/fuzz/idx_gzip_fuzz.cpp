// Fuzzes typenet/data/idx.hpp through gzip: the input is the content of an IDX file, which
// the target compresses (its first byte picks the level and where a second gzip member
// starts) so that the reader's checks meet inflated data rather than mostly corrupt
// deflate streams, which idx_fuzz tries.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <zlib.h>

#include <typenet/data/idx.hpp>

#include "memory_file.hpp"

using typenet::fuzzing::require;

namespace {

// Appends `content` to `out` as one gzip member.
void append_gzip(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> content, int level) {
    z_stream zs{};
    require(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    const std::size_t start = out.size();
    out.resize(start + deflateBound(&zs, static_cast<uLong>(content.size())));
    zs.next_in = const_cast<Bytef*>(content.data());  // zlib does not write through it
    zs.avail_in = static_cast<uInt>(content.size());
    zs.next_out = out.data() + start;
    zs.avail_out = static_cast<uInt>(out.size() - start);
    require(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - zs.avail_out);
    deflateEnd(&zs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> content(data + 1, size - 1);
    const int level = data[0] % 10;
    const std::size_t split = std::min<std::size_t>(data[0] / 10 * 4, content.size());
    std::vector<std::uint8_t> gz;
    append_gzip(gz, content.first(split), level);
    if (split < content.size()) append_gzip(gz, content.subspan(split), level);

    static typenet::fuzzing::memory_file file;
    const auto& path = file.hold(gz.data(), gz.size());
    try {
        const auto set = typenet::data::read_idx_images(path);
        require(set.pixels.size() == set.count * set.rows * set.cols && set.count * set.rows * set.cols + 16 == content.size());
    } catch (const typenet::data::data_error&) {
    }
    try {
        const auto labels = typenet::data::read_idx_labels(path, 256);
        require(labels.size() + 8 == content.size());
    } catch (const typenet::data::data_error&) {
    }
    return 0;
}
