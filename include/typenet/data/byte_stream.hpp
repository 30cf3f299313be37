/// Defines `typenet::data::detail::byte_stream`, a data file read front to back in pieces,
/// decompressed on the way if it is gzip, whatever its name; readers take what its header
/// promises and no more, so that a pipe or a device that never ends cannot exhaust memory.
#pragma once

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <sys/stat.h>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/data/data_error.hpp>

namespace typenet::data::detail {

inline bool starts_as_gzip(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// The bytes of a file in order: read(into) fills `into` but for the end of the data. A gzip
// file (magic 0x1f 0x8b) is inflated as it is read, every member of it (as `gzip -d` does for
// concatenated files); anything that is not clean gzip to its last byte is a `data_error`:
// a corrupt stream, a stream cut short, bytes after the last member.
class byte_stream {
public:
    explicit byte_stream(const std::filesystem::path& file) : file_(file) {
        errno = 0;
        f_.reset(std::fopen(file.c_str(), "rb"));
        if (!f_) throw data_error(file, fmt::format("cannot open: {}", std::generic_category().message(errno)));
        struct stat st {};
        if (::fstat(::fileno(f_.get()), &st) == 0 && S_ISREG(st.st_mode)) file_size_ = static_cast<std::size_t>(st.st_size);
        if (available(2) >= 2 && starts_as_gzip(stored())) {
            zs_ = std::make_unique<z_stream>();
            if (inflateInit2(zs_.get(), 16 + MAX_WBITS) != Z_OK) {  // 16: expect a gzip header, check its CRC
                zs_.reset();
                throw data_error(file, "cannot decompress: zlib could not start (out of memory)");
            }
        }
    }
    byte_stream(const byte_stream&) = delete;
    byte_stream& operator=(const byte_stream&) = delete;
    ~byte_stream() {
        if (zs_) inflateEnd(zs_.get());
    }

    const std::filesystem::path& file() const { return file_; }

    // The size of the data if it is known before reading it (a regular file, not gzip): a
    // hint for reserving memory, never a promise.
    std::optional<std::size_t> size_hint() const { return zs_ ? std::nullopt : file_size_; }

    // Fills `into` with the next bytes of data; returns how many: fewer only at the end.
    std::size_t read(std::span<std::uint8_t> into) {
        std::size_t done = 0;
        while (done < into.size() && !finished_) {
            const std::size_t n = zs_ ? inflate_into(into.subspan(done)) : copy_into(into.subspan(done));
            done += n;
            delivered_ += n;
        }
        return done;
    }

    // Reads on to the end of the data, no further than `limit` bytes: how many there were,
    // or nothing if there are more. A gzip stream is checked to its end.
    std::optional<std::size_t> count_rest(std::size_t limit) {
        std::array<std::uint8_t, 1 << 16> scratch;
        std::size_t counted = 0;
        for (;;) {
            const std::size_t want = std::min(scratch.size(), limit + 1 - counted);
            const std::size_t n = read(std::span(scratch).first(want));
            counted += n;
            if (counted > limit) return std::nullopt;
            if (n < want) return counted;
        }
    }

private:
    struct closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };

    // The bytes of the file as stored that are read ahead and not yet used.
    std::span<std::uint8_t> stored() { return std::span(in_).subspan(in_pos_, in_end_ - in_pos_); }

    // Reads ahead until at least `n` stored bytes are at hand (n at most the buffer's size)
    // or the file ends; returns how many are at hand.
    std::size_t available(std::size_t n) {
        if (in_end_ - in_pos_ >= n) return in_end_ - in_pos_;
        std::copy(in_.begin() + static_cast<std::ptrdiff_t>(in_pos_), in_.begin() + static_cast<std::ptrdiff_t>(in_end_),
                  in_.begin());
        consumed_ += in_pos_;
        in_end_ -= in_pos_;
        in_pos_ = 0;
        while (in_end_ < in_.size()) {
            errno = 0;
            const std::size_t got = std::fread(in_.data() + in_end_, 1, in_.size() - in_end_, f_.get());
            in_end_ += got;
            if (std::ferror(f_.get()))
                throw data_error(file_, fmt::format("read error after {} bytes: {}", consumed_ + in_end_,
                                                    std::generic_category().message(errno)));
            if (got == 0) break;
        }
        return in_end_;
    }

    std::size_t copy_into(std::span<std::uint8_t> into) {
        const std::size_t n = std::min(into.size(), available(1));
        finished_ = n == 0;
        std::copy_n(in_.data() + in_pos_, n, into.data());
        in_pos_ += n;
        return n;
    }

    std::size_t compressed_position() const { return consumed_ + in_pos_; }
    std::string compressed_size_text() const { return file_size_ ? fmt::format(" of {}", *file_size_) : ""; }

    std::size_t inflate_into(std::span<std::uint8_t> into) {
        if (available(1) == 0) {
            // A member that ends with the file ends the data cleanly.
            if (!member_ended_)
                throw data_error(file_, fmt::format("truncated gzip data: the compressed stream stops after {} bytes "
                                                    "({} bytes decompressed) without its end",
                                                    compressed_position(), delivered_));
            finished_ = true;
            return 0;
        }
        if (member_ended_) {
            if (available(2) < 2 || !starts_as_gzip(stored())) {
                const std::size_t at = compressed_position();
                throw data_error(file_, fmt::format("trailing bytes: {}bytes after the end of the gzip data (at "
                                                    "compressed byte {}{})",
                                                    file_size_ ? fmt::format("{} ", *file_size_ - at) : "", at,
                                                    compressed_size_text()));
            }
            inflateReset(zs_.get());  // the next member
            member_ended_ = false;
        }
        // zlib counts in uInt (32 bits): a larger request goes in pieces.
        const auto out_chunk = static_cast<uInt>(std::min<std::size_t>(into.size(), UINT_MAX));
        const auto in_chunk = static_cast<uInt>(in_end_ - in_pos_);
        zs_->next_in = in_.data() + in_pos_;
        zs_->avail_in = in_chunk;
        zs_->next_out = into.data();
        zs_->avail_out = out_chunk;
        const int rc = inflate(zs_.get(), Z_NO_FLUSH);
        in_pos_ += in_chunk - zs_->avail_in;
        const std::size_t produced = out_chunk - zs_->avail_out;
        if (rc == Z_STREAM_END) {
            member_ended_ = true;
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            throw data_error(file_, fmt::format("corrupt gzip data: {} (near compressed byte {}{})",
                                                zs_->msg ? zs_->msg : "zlib gives no reason", compressed_position(),
                                                compressed_size_text()));
        } else if (rc == Z_MEM_ERROR) {
            throw data_error(file_, fmt::format("cannot decompress: out of memory after {} bytes", delivered_ + produced));
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw data_error(file_, fmt::format("cannot decompress: zlib error {} ({})", rc, zError(rc)));
        }
        return produced;
    }

    std::filesystem::path file_;
    std::unique_ptr<std::FILE, closer> f_;
    std::optional<std::size_t> file_size_;  // of a regular file
    std::unique_ptr<z_stream> zs_;          // set for a gzip file
    std::array<std::uint8_t, 1 << 16> in_;  // the file as stored, read ahead
    std::size_t in_pos_ = 0, in_end_ = 0;
    std::size_t consumed_ = 0;   // bytes of the file before in_
    std::size_t delivered_ = 0;  // bytes of data handed out
    bool member_ended_ = false;
    bool finished_ = false;
};

// Reads up to `limit` bytes of `in` into a buffer that grows only as the data arrives, so
// that a header promising more than the file holds cannot make it allocate that much.
inline std::vector<std::uint8_t> read_up_to(byte_stream& in, std::size_t limit) {
    std::vector<std::uint8_t> bytes;
    std::size_t used = 0;
    std::size_t step = std::min<std::size_t>(limit, in.size_hint().value_or(1 << 20));
    while (used < limit) {
        bytes.resize(used + std::min(step, limit - used));
        const std::size_t want = bytes.size() - used;
        const std::size_t n = in.read(std::span(bytes).subspan(used, want));
        used += n;
        if (n < want) break;
        step = used;  // doubles the buffer each round
    }
    bytes.resize(used);
    return bytes;
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
