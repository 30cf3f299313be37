/// Defines `typenet::data::detail::read_file_bytes`, a whole file in memory, decompressed
/// if it is gzip, whatever its name.
#pragma once

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/data/data_error.hpp>

namespace typenet::data::detail {

inline bool starts_as_gzip(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// The file as stored, read in one pass into one buffer.
inline std::vector<std::uint8_t> read_raw_bytes(const std::filesystem::path& file) {
    struct closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    errno = 0;
    std::unique_ptr<std::FILE, closer> f(std::fopen(file.c_str(), "rb"));
    if (!f) throw data_error(file, fmt::format("cannot open: {}", std::generic_category().message(errno)));

    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);  // only a hint: may change
    std::vector<std::uint8_t> bytes(ec ? 1 << 16 : static_cast<std::size_t>(size) + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == bytes.size()) bytes.resize(2 * bytes.size());
        errno = 0;
        const std::size_t n = std::fread(bytes.data() + used, 1, bytes.size() - used, f.get());
        used += n;
        if (std::ferror(f.get()))
            throw data_error(file, fmt::format("read error after {} bytes: {}", used,
                                               std::generic_category().message(errno)));
        if (n == 0) break;
    }
    bytes.resize(used);
    return bytes;
}

// The gzip trailer ends with the size of the last member's data modulo 2^32; a hint only,
// capped by deflate's best ratio (1032:1) so that a corrupt trailer cannot make us
// allocate gigabytes for a small file.
inline std::size_t gunzipped_size_hint(std::span<const std::uint8_t> in) {
    if (in.size() < 18) return 0;
    const auto* t = in.data() + in.size() - 4;
    const std::size_t isize = std::size_t{t[0]} | std::size_t{t[1]} << 8 | std::size_t{t[2]} << 16 |
                              std::size_t{t[3]} << 24;
    return std::min(isize, in.size() * 1032);
}

// Decompresses every gzip member of `in` (as `gzip -d` does for concatenated files).
// Anything that is not clean gzip to the last byte is an error: a corrupt stream, a
// stream cut short, bytes after the last member.
inline std::vector<std::uint8_t> gunzip(const std::filesystem::path& file, std::span<const std::uint8_t> in) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)  // 16: expect a gzip header, check its CRC
        throw data_error(file, "cannot decompress: zlib could not start (out of memory)");
    struct ender {
        z_stream* zs;
        ~ender() { inflateEnd(zs); }
    } end_at_exit{&zs};

    std::vector<std::uint8_t> out(gunzipped_size_hint(in) + 1);  // +1: room to see the end
    std::size_t in_pos = 0, out_pos = 0;
    for (;;) {
        if (out_pos == out.size()) out.resize(2 * out.size());
        // zlib counts in uInt (32 bits): feed files over 4 GiB in pieces.
        const auto in_chunk = static_cast<uInt>(std::min<std::size_t>(in.size() - in_pos, UINT_MAX));
        const auto out_chunk = static_cast<uInt>(std::min<std::size_t>(out.size() - out_pos, UINT_MAX));
        zs.next_in = const_cast<Bytef*>(in.data() + in_pos);  // zlib does not write through it
        zs.avail_in = in_chunk;
        zs.next_out = out.data() + out_pos;
        zs.avail_out = out_chunk;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        in_pos += in_chunk - zs.avail_in;
        out_pos += out_chunk - zs.avail_out;

        if (rc == Z_STREAM_END) {
            if (in_pos == in.size()) break;
            if (!starts_as_gzip(in.subspan(in_pos)))
                throw data_error(file, fmt::format("trailing bytes: {} bytes after the end of the gzip data "
                                                   "(at compressed byte {} of {})",
                                                   in.size() - in_pos, in_pos, in.size()));
            inflateReset(&zs);  // the next member
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            throw data_error(file, fmt::format("corrupt gzip data: {} (near compressed byte {} of {})",
                                               zs.msg ? zs.msg : "zlib gives no reason", in_pos, in.size()));
        } else if (rc == Z_MEM_ERROR) {
            throw data_error(file, fmt::format("cannot decompress: out of memory after {} bytes", out_pos));
        } else if ((rc == Z_OK || rc == Z_BUF_ERROR) && in_pos == in.size() && zs.avail_out > 0) {
            throw data_error(file, fmt::format("truncated gzip data: the compressed stream stops after {} "
                                               "bytes ({} bytes decompressed) without its end",
                                               in.size(), out_pos));
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw data_error(file, fmt::format("cannot decompress: zlib error {} ({})", rc, zError(rc)));
        }
    }
    out.resize(out_pos);
    return out;
}

// The whole content of `file`, gunzipped if it starts with gzip's magic bytes 0x1f 0x8b.
inline std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& file) {
    std::vector<std::uint8_t> bytes = read_raw_bytes(file);
    return starts_as_gzip(bytes) ? gunzip(file, bytes) : bytes;
}

// `dir/name` if it exists, else `dir/name.gz`.
inline std::filesystem::path plain_or_gzip(const std::filesystem::path& dir, const std::string& name) {
    for (const auto& candidate : {dir / name, dir / (name + ".gz")}) {
        std::error_code ec;
        if (std::filesystem::exists(candidate, ec)) return candidate;
    }
    throw data_error(dir / name, fmt::format("no such file, nor {}.gz", name));
}

}  // namespace typenet::data::detail
