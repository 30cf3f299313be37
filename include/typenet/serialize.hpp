/// Defines `typenet::save_parameters` and `typenet::load_parameters`, a network's
/// parameters in a versioned, checksummed file, and `typenet::io_error`, what they throw.
///
///     typenet::save_parameters(net, "weights.tnet");
///     typenet::load_parameters(net, "weights.tnet");  // same layers; float or double
///
/// Format version 1. Integers are unsigned and little-endian; values are IEEE 754 in the
/// file's scalar type, little-endian too.
///
///     bytes     field
///     8         magic "TYPENET\0"
///     4         u32 format version: 1
///     4         u32 scalar code: 4 = float32, 8 = float64
///     4 + S     u32 S, then the network's signature: S bytes of UTF-8 text (below)
///     8         u64 value count P: the parameters and the buffers
///               then each tensor, in the order of PyTorch's state_dict (layout.hpp):
///     4 + N       u32 N, then its name: N bytes, PyTorch's state_dict key ("0.weight")
///     4 + 8·R     u32 rank R, then R u64 dimensions, PyTorch's shape (conv2d: O, I, H, W)
///     c·n         its n values (n = product of the dimensions, c = the scalar code)
///     4         u32 CRC-32 (zlib's `crc32`) of every byte before it
///
/// A file therefore has 32 + S + Σ(8 + N + 8·R + c·n) bytes, and the n add up to P.
/// The signature has one line per layer, each ending in '\n': the input shape first, then
/// each layer's path, its description as in `typenet::summary` and its output shape, a
/// block before the layers inside it:
///
///     input (3, 64, 64)
///     0 conv2d 32 3x3 -> (32, 62, 62)
///     1 relu -> (32, 62, 62)
///     2 sequential (2 layers) -> (8, 60, 60)
///     2.0 conv2d 8 3x3 no-bias -> (8, 60, 60)
///     2.1 relu -> (8, 60, 60)
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/detail/path_text.hpp>
#include <typenet/detail/visit.hpp>
#include <typenet/layer.hpp>
#include <typenet/layout.hpp>
#include <typenet/summary.hpp>

namespace typenet {

/// A parameter file that cannot be written, read, or loaded into the network at hand. The
/// message names the file first, then what is wrong and where:
///
///     weights.tnet: truncated: expected 1605632 float32 values for tensor 7.weight
///     (6422528 bytes) at byte 78054, but the file ends after 12 of them
struct io_error : std::runtime_error {
    io_error(const std::filesystem::path& file, std::string_view problem)
        : std::runtime_error(fmt::format("{}: {}", detail::path_text(file), problem)) {}
};

/// What `load_parameters` accepts besides finite values within the network's scalar type.
///
///     typenet::load_parameters(net, "diverged.tnet", {.allow_non_finite = true});
struct load_options {
    /// Loads NaN and ±inf as they are, and float64 values beyond float's range into a float
    /// network as ±inf, instead of refusing the file.
    bool allow_non_finite = false;
};

namespace detail {

inline constexpr std::array<std::uint8_t, 8> parameter_file_magic{'T', 'Y', 'P', 'E', 'N', 'E', 'T', '\0'};
inline constexpr std::uint32_t parameter_file_version = 1;

// The scalar code is the size of a value, which names the type among IEEE 754 formats.
template <class T>
constexpr std::uint32_t scalar_code_of() {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "typenet: parameter files hold the parameters of float or double networks");
    return sizeof(T);
}

inline std::string_view scalar_name(std::uint32_t code) { return code == 4 ? "float32" : "float64"; }

/// The text that stands for `Net`'s layers in a parameter file; see the format above.
template <class Net>
std::string network_signature() {
    std::string text = fmt::format("input {}\n", shape_text(typename Net::input_shape{}));
    visit_layers<typename Net::block>([&](auto t, const layer_site& site) {
        using bound = typename decltype(t)::type;
        text += fmt::format("{} {} -> {}\n", site.path, bound::describe(), shape_text(typename bound::output_shape{}));
    });
    return text;
}

inline std::string errno_text(int error) { return std::generic_category().message(error); }

// zlib counts in uInt (32 bits): more than 4 GiB goes through in pieces.
inline std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    uLong crc = crc32(0, nullptr, 0);
    while (!bytes.empty()) {
        const auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size(), UINT_MAX));
        crc = crc32(crc, bytes.data(), n);
        bytes = bytes.subspan(n);
    }
    return static_cast<std::uint32_t>(crc);
}

// Byte by byte, so that files are the same on every host, whatever its byte order.
template <class U>
U little_endian(const std::uint8_t* p) {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(static_cast<U>(p[i]) << (8 * i));
    return value;
}

// Appends the fields of a parameter file to one buffer.
class parameter_file_writer {
public:
    explicit parameter_file_writer(std::size_t expected_size) { bytes_.reserve(expected_size); }

    template <class U>
    void integer(U value) {
        for (std::size_t i = 0; i < sizeof(U); ++i) bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
    void value(float v) { integer(std::bit_cast<std::uint32_t>(v)); }
    void value(double v) { integer(std::bit_cast<std::uint64_t>(v)); }
    // Names and signatures are far below the 4 GiB a u32 length can say.
    void text(std::string_view s) {
        integer(static_cast<std::uint32_t>(s.size()));
        bytes_.insert(bytes_.end(), s.begin(), s.end());
    }
    // Byte by byte: g++ 12 takes an insert after the reserve for an overflow (-Wstringop-overflow).
    void raw(std::span<const std::uint8_t> b) {
        for (const std::uint8_t byte : b) bytes_.push_back(byte);
    }

    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

// Reads the fields of a parameter file in order. A field that runs past the end of the
// file is reported as a truncation, naming the field.
class parameter_file_reader {
public:
    parameter_file_reader(const std::filesystem::path& file, std::span<const std::uint8_t> bytes)
        : file_(file), bytes_(bytes) {}

    std::span<const std::uint8_t> take(std::uint64_t n, std::string_view what) {
        const std::size_t left = bytes_.size() - position_;
        if (n > left)
            throw io_error(file_, fmt::format("truncated: expected {} ({} bytes) at byte {}, but the file ends after {} of them",
                                              what, n, position_, left));
        const auto field = bytes_.subspan(position_, static_cast<std::size_t>(n));
        position_ += field.size();
        return field;
    }
    template <class U>
    U integer(std::string_view what) {
        return little_endian<U>(take(sizeof(U), what).data());
    }
    std::string_view text(std::string_view what) {
        const auto length = integer<std::uint32_t>(fmt::format("the length of {}", what));
        const auto field = take(length, what);
        return {reinterpret_cast<const char*>(field.data()), field.size()};
    }

    std::size_t position() const { return position_; }

private:
    const std::filesystem::path& file_;
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

// One tensor as the file holds it; the values are still raw bytes.
struct stored_tensor {
    std::string_view name;
    std::vector<std::uint64_t> dims;
    std::span<const std::uint8_t> values;
};

struct stored_parameters {
    std::uint32_t scalar_code = 0;
    std::string_view signature;
    std::vector<stored_tensor> tensors;
};

// a * b, or the largest u64 if that overflows: a length no file can hold either way.
inline std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// Reads the fields before the parameters: the magic, the version, the scalar code and
// the network's signature.
inline stored_parameters read_parameter_header(const std::filesystem::path& file, parameter_file_reader& in,
                                               std::span<const std::uint8_t> bytes) {
    // A file shorter than the magic but agreeing with it is a truncated parameter file.
    const auto head = bytes.first(std::min(bytes.size(), parameter_file_magic.size()));
    if (!std::equal(head.begin(), head.end(), parameter_file_magic.begin()))
        throw io_error(file, fmt::format("not a typenet parameter file: it starts with bytes {:02x}, not \"TYPENET\\0\"",
                                         fmt::join(head, " ")));
    in.take(parameter_file_magic.size(), "the magic \"TYPENET\\0\"");
    // The version comes before the checksum: another version may keep its checksum elsewhere.
    const auto version = in.integer<std::uint32_t>("the format version");
    if (version != parameter_file_version)
        throw io_error(file, fmt::format("format version {} is not supported: this typenet reads version {}{}", version,
                                         parameter_file_version,
                                         version > parameter_file_version ? " (the file was written by a newer typenet)" : ""));

    stored_parameters stored;
    stored.scalar_code = in.integer<std::uint32_t>("the scalar code");
    if (stored.scalar_code != 4 && stored.scalar_code != 8)
        throw io_error(file, fmt::format("corrupt: unknown scalar code {} (4 = float32, 8 = float64)", stored.scalar_code));
    stored.signature = in.text("the network's signature");
    return stored;
}

// Checks all that does not depend on the network: magic, version, that every field fits
// in the file, and the checksum. The result points into `bytes`.
// Reads the CRC-32 that ends a file (parameters or checkpoint) and checks it against every
// byte before it, and that nothing follows it.
inline void check_checksum(const std::filesystem::path& file, parameter_file_reader& in,
                           std::span<const std::uint8_t> bytes) {
    const std::size_t checked = in.position();
    const auto checksum = in.integer<std::uint32_t>("the CRC-32 checksum");
    if (in.position() != bytes.size())
        throw io_error(file, fmt::format("corrupt: the file should end with its checksum, {} bytes, but it has {}",
                                         in.position(), bytes.size()));
    if (const std::uint32_t actual = crc32_of(bytes.first(checked)); actual != checksum)
        throw io_error(file, fmt::format("checksum mismatch: the file records CRC-32 {:08x} but its content has {:08x}; "
                                         "the file is corrupt",
                                         checksum, actual));
}

inline stored_parameters read_parameter_file(const std::filesystem::path& file, std::span<const std::uint8_t> bytes) {
    parameter_file_reader in(file, bytes);
    stored_parameters stored = read_parameter_header(file, in, bytes);
    const auto parameter_count = in.integer<std::uint64_t>("the parameter count");
    // The tensors are not counted in the file; their values add up to the parameter count.
    for (std::uint64_t seen = 0; seen < parameter_count;) {
        stored_tensor& t = stored.tensors.emplace_back();
        t.name = in.text(fmt::format("the name of tensor #{} ({} of {} parameters read)", stored.tensors.size(), seen,
                                     parameter_count));
        const auto rank = in.integer<std::uint32_t>(fmt::format("the rank of tensor {}", t.name));
        const auto dims = in.take(8 * std::uint64_t{rank}, fmt::format("the {} dimensions of tensor {}", rank, t.name));
        std::uint64_t count = 1;
        for (std::size_t i = 0; i < rank; ++i) {
            t.dims.push_back(little_endian<std::uint64_t>(dims.data() + 8 * i));
            count = saturating_product(count, t.dims.back());
        }
        if (count > parameter_count - seen)
            throw io_error(file, fmt::format("corrupt: tensor {} has {} values, more than the {} left of the {} parameters "
                                             "the file announces",
                                             t.name, count, parameter_count - seen, parameter_count));
        t.values = in.take(saturating_product(count, stored.scalar_code),
                           fmt::format("{} {} values for tensor {}", count, scalar_name(stored.scalar_code), t.name));
        seen += count;
    }
    check_checksum(file, in, bytes);
    return stored;
}

// Shows the first line where the file's signature and the network's differ.
inline void check_signature(const std::filesystem::path& file, std::string_view stored, std::string_view expected) {
    if (stored == expected) return;
    const std::size_t differ = static_cast<std::size_t>(
        std::mismatch(stored.begin(), stored.end(), expected.begin(), expected.end()).first - stored.begin());
    // The bytes before `differ` are the same in both: so is the start of the line.
    const std::size_t newline = differ == 0 ? std::string_view::npos : stored.rfind('\n', differ - 1);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    const auto line_of = [&](std::string_view text) -> std::string {
        if (line_start >= text.size()) return "(no more layers)";
        return std::string(text.substr(line_start, text.find('\n', line_start) - line_start));
    };
    throw io_error(file, fmt::format("saved from a different network: the signatures differ at line {}\n"
                                     "  file:    {}\n  network: {}",
                                     std::count(stored.begin(), stored.begin() + static_cast<std::ptrdiff_t>(line_start), '\n') + 1,
                                     line_of(stored), line_of(expected)));
}

inline std::string dims_text(std::span<const std::uint64_t> dims) { return fmt::format("({})", fmt::join(dims, ", ")); }

// Same signatures make same tensors unless a layer's description leaves out something its
// tensors depend on: checking names and shapes as well means such a slip cannot put
// values in the wrong place.
inline void check_tensor(const std::filesystem::path& file, const stored_parameters& stored, std::size_t index,
                         const std::string& name, const tensor_desc& desc) {
    const std::vector<std::uint64_t> dims(desc.dims.begin(), desc.dims.begin() + static_cast<std::ptrdiff_t>(desc.rank));
    if (index >= stored.tensors.size())
        throw io_error(file, fmt::format("the file has {} parameter tensors, the network more: {} {} is not in the file",
                                         stored.tensors.size(), name, dims_text(dims)));
    const stored_tensor& t = stored.tensors[index];
    if (t.name != name || t.dims != dims)
        throw io_error(file, fmt::format("tensor #{} is {} {} in the file but {} {} in the network", index + 1, t.name,
                                         dims_text(t.dims), name, dims_text(dims)));
}

// Element `i` of a tensor of `dims`, one index per dimension: "(1, 0, 2)".
inline std::string element_text(std::span<const std::uint64_t> dims, std::uint64_t i) {
    std::vector<std::uint64_t> index(dims.size());
    for (std::size_t d = dims.size(); d-- > 0;) {
        index[d] = dims[d] == 0 ? 0 : i % dims[d];
        i = dims[d] == 0 ? i : i / dims[d];
    }
    return dims_text(index);
}

// Converts the values of `t` into `out`. A NaN or an infinity, or a float64 beyond the
// range of a float network (which would become an infinity), is refused unless allowed: a
// network with one computes nothing but NaN, far from where the file was loaded.
template <class T>
void decode_values(const std::filesystem::path& file, const stored_tensor& t, std::uint32_t scalar_code,
                   const load_options& options, T* out) {
    const std::size_t n = t.values.size() / scalar_code;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = t.values.data() + i * scalar_code;
        const double v = scalar_code == 4 ? std::bit_cast<float>(little_endian<std::uint32_t>(p))
                                          : std::bit_cast<double>(little_endian<std::uint64_t>(p));
        const bool beyond = std::isfinite(v) && std::abs(v) > double(std::numeric_limits<T>::max());
        if (!options.allow_non_finite && (!std::isfinite(v) || beyond))
            throw io_error(file, fmt::format("{}: tensor {} holds {} at index {} {} of its {}; "
                                             "load_options{{.allow_non_finite = true}} loads it {}",
                                             beyond ? "value out of range" : "non-finite value", t.name,
                                             beyond ? fmt::format("{}, beyond float32's largest {},", v,
                                                                  std::numeric_limits<float>::max())
                                                    : fmt::format("{}", v),
                                             i, element_text(t.dims, i), dims_text(t.dims),
                                             beyond ? "as an infinity" : "as it is"));
        if (beyond)  // converting it would be undefined behaviour: the infinity is made here
            out[i] = v > 0 ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
        else if (scalar_code == 4)  // straight from its bits, which keeps a NaN's payload
            out[i] = static_cast<T>(std::bit_cast<float>(little_endian<std::uint32_t>(p)));
        else
            out[i] = static_cast<T>(v);
    }
}

// A POSIX file descriptor, closed when it goes out of scope.
class file_descriptor {
public:
    explicit file_descriptor(int fd) : fd_(fd) {}
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    ~file_descriptor() { close(); }

    int get() const { return fd_; }
    // Saving must see close's error: on some file systems a failed write is reported only there.
    int close() {
        const int result = fd_ >= 0 ? ::close(fd_) : 0;
        fd_ = -1;
        return result;
    }

private:
    int fd_;
};

// The start of `file`, up to `limit` bytes and one more, which tells a file longer than
// the caller can use: a pipe or a device that never ends is read that far and no further.
inline std::vector<std::uint8_t> read_file_prefix(const std::filesystem::path& file, std::size_t limit) {
    file_descriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw io_error(file, fmt::format("cannot open: {}", errno_text(errno)));
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);  // only a hint: the file may change
    const std::size_t wanted = limit + 1;
    std::vector<std::uint8_t> bytes(std::min(wanted, ec ? std::size_t{1} << 16 : static_cast<std::size_t>(size) + 1));
    std::size_t used = 0;
    for (;;) {
        if (used == bytes.size()) {
            if (used == wanted) break;
            bytes.resize(std::min(wanted, 2 * bytes.size()));
        }
        const ssize_t n = ::read(fd.get(), bytes.data() + used, bytes.size() - used);
        if (n == 0) break;
        if (n < 0 && errno != EINTR)
            throw io_error(file, fmt::format("read error after {} bytes: {}", used, errno_text(errno)));
        if (n > 0) used += static_cast<std::size_t>(n);
    }
    bytes.resize(used);
    return bytes;
}

// The size of `net`'s parameter file with its values in float64, the larger scalar type:
// no file that loads into `net` is longer.
template <class Net>
std::size_t largest_parameter_file(const Net& net, std::size_t signature_size) {
    std::size_t size = parameter_file_magic.size() + 4 + 4 + 4 + signature_size + 8 + 4;
    for_each_parameter_tensor(net, [&](const std::string& name, const tensor_desc& desc, auto) {
        size += 4 + name.size() + 4 + 8 * desc.rank + sizeof(double) * desc.size();
    });
    return size;
}

// Refuses `bytes`, the start of a file longer than any parameter file of the network of
// `signature`, naming the first thing wrong: what its header says if that differs.
[[noreturn]] inline void refuse_too_long(const std::filesystem::path& file, std::span<const std::uint8_t> bytes,
                                         std::string_view signature, std::size_t largest) {
    parameter_file_reader in(file, bytes);
    check_signature(file, read_parameter_header(file, in, bytes).signature, signature);
    throw io_error(file, fmt::format("too long: a parameter file of this network has at most {} bytes (float64 "
                                     "values), this one has more (read no further)",
                                     largest));
}

// Makes the rename lasting. Best effort: the file is complete and in place by now, and some
// file systems cannot sync a directory.
inline void sync_directory(const std::filesystem::path& dir) {
    file_descriptor fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() >= 0) ::fsync(fd.get());
}

// Writes to a new file beside `file`, syncs it, then renames it over `file`: readers see the
// old content or the new, never a part. The temporary file is in the same directory so that
// the rename stays on one file system; pid and counter keep concurrent saves apart.
inline void write_file_atomically(const std::filesystem::path& file, std::span<const std::uint8_t> bytes) {
    // Else the temporary file would be created in the directory itself, or in the current one.
    std::error_code ec;
    if (file.empty()) throw io_error(file, "cannot save: the path is empty, it names no file");
    if (!file.has_filename() || std::filesystem::is_directory(file, ec))
        throw io_error(file, "cannot save: the path names a directory, not a file");
    static std::atomic<unsigned> saves{0};
    std::filesystem::path temp = file;
    temp += fmt::format(".tmp-{}-{}", ::getpid(), saves++);
    file_descriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (fd.get() < 0) throw io_error(file, fmt::format("cannot save: cannot create {}: {}", temp.string(), errno_text(errno)));
    const auto discard = [&] {
        fd.close();
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
    };
    const auto fail = [&](std::string_view step) {
        const int error = errno;  // before anything else can change it
        discard();
        throw io_error(file, fmt::format("cannot save: cannot {} {}: {}", step, temp.string(), errno_text(error)));
    };
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
        if (n < 0 && errno != EINTR) fail("write");
        if (n > 0) bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) fail("sync");
    if (fd.close() != 0) fail("close");
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        discard();
        throw io_error(file, fmt::format("cannot save: cannot rename {} to it: {}", temp.string(), ec.message()));
    }
    sync_directory(file.parent_path());
}

}  // namespace detail

/// Writes `net`'s parameters to `file` in the format above, replacing `file` atomically:
/// if saving fails, `file` keeps its old content (or stays absent) and `io_error` says why.
///
///     typenet::save_parameters(net, "weights.tnet");
template <class Net>
void save_parameters(const Net& net, const std::filesystem::path& file) {
    using T = typename Net::scalar_type;
    const std::string signature = detail::network_signature<Net>();
    // Enough room for the names and shapes of most networks: a hint, not a limit.
    detail::parameter_file_writer out((Net::parameter_count + Net::buffer_count) * sizeof(T) + signature.size() + 4096);
    out.raw(detail::parameter_file_magic);
    out.integer(detail::parameter_file_version);
    out.integer(detail::scalar_code_of<T>());
    out.text(signature);
    out.integer(std::uint64_t{Net::parameter_count + Net::buffer_count});
    for_each_parameter_tensor(net, [&](const std::string& name, const tensor_desc& desc, std::span<const T> values) {
        out.text(name);
        out.integer(static_cast<std::uint32_t>(desc.rank));
        for (std::size_t i = 0; i < desc.rank; ++i) out.integer(std::uint64_t{desc.dims[i]});
        for (const T v : values) out.value(v);
    });
    out.integer(detail::crc32_of(out.bytes()));
    detail::write_file_atomically(file, out.bytes());
}

/// Reads parameters that `save_parameters` wrote for a network with the same layers, and
/// puts them into `net`. A float32 file loads into a double network and a float64 file into
/// a float one, converted. Anything wrong (no such file, not a parameter file, truncated,
/// corrupt, another network, a NaN or an infinity unless `options` allow them) throws
/// `io_error` and leaves `net` as it was. It reads no further than the largest file of this
/// network, so that a pipe or a device can be read too.
///
///     using net_type = typenet::network<typenet::input<1, 28, 28>, typenet::flatten, typenet::dense<10>>;
///     net_type net;
///     typenet::load_parameters(net, "weights.tnet");
template <class Net>
void load_parameters(Net& net, const std::filesystem::path& file, const load_options& options = {}) {
    using T = typename Net::scalar_type;
    const std::string signature = detail::network_signature<Net>();
    const std::size_t largest = detail::largest_parameter_file(net, signature.size());
    const std::vector<std::uint8_t> bytes = detail::read_file_prefix(file, largest);
    if (bytes.size() > largest) detail::refuse_too_long(file, bytes, signature, largest);
    const detail::stored_parameters stored = detail::read_parameter_file(file, bytes);
    detail::check_signature(file, stored.signature, signature);
    // Decoded aside first, so that an error leaves the network untouched.
    std::vector<T> values(Net::parameter_count + Net::buffer_count);
    std::size_t index = 0, offset = 0;
    for_each_parameter_tensor(net, [&](const std::string& name, const tensor_desc& desc, auto) {
        detail::check_tensor(file, stored, index, name, desc);
        detail::decode_values(file, stored.tensors[index], stored.scalar_code, options, values.data() + offset);
        offset += desc.size();
        ++index;
    });
    if (index != stored.tensors.size())
        throw io_error(file, fmt::format("the file has {} parameter tensors, the network only {}", stored.tensors.size(), index));
    offset = 0;
    for_each_parameter_tensor(net, [&](const std::string&, const tensor_desc& desc, std::span<T> into) {
        std::copy(values.begin() + std::ptrdiff_t(offset), values.begin() + std::ptrdiff_t(offset + desc.size()),
                  into.begin());
        offset += desc.size();
    });
}

}  // namespace typenet
