/// Defines `typenet::plot::detail::plplot_page`: one PLplot page drawn into memory, with
/// PLplot's errors turned into exceptions and nothing printed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <plplot.h>

namespace typenet::plot {

/// Thrown when PLplot cannot draw a plot.
struct plplot_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

namespace detail {

// PLplot draws on a process-wide "current stream" and reports errors through process-wide
// handlers: one page at a time, whatever the thread, and this state under the same lock.
struct plplot_state {
    std::mutex mutex;
    std::string first_error;  // PLplot's first non-fatal error on the page being drawn
    bool failed = false;      // PLplot's fatal error: its stream must not be touched again
};

inline plplot_state& plplot() {
    static plplot_state state;
    return state;
}

/// A colour of PLplot's colour map 0, which its functions name by index (`plcol0`).
struct rgb {
    PLINT red, green, blue;
};

/// A page of `width` × `height` pixels drawn by the PLplot device `device` ("svg",
/// "pngcairo", ...) into memory, with `colours` as colour map 0 (the first is the
/// background). Between construction and `bytes()`, PLplot's functions draw on it;
/// `bytes()` ends the page and returns the file's content.
///
///     const rgb white_and_black[] = {{255, 255, 255}, {0, 0, 0}};
///     plplot_page page("svg", 800, 600, white_and_black);
///     plenv(0, 1, 0, 1, 0, 0);
///     const std::vector<std::uint8_t> svg = page.bytes();
class plplot_page {
public:
    plplot_page(const char* device, unsigned width, unsigned height, std::span<const rgb> colours)
        : lock_(plplot().mutex) {
        require_device(device);
        // PLplot writes to the file it is given and closes it: a memory stream leaves the
        // writing of the real file, and its errors, to the caller.
        std::FILE* output = open_memstream(&buffer_, &size_);
        if (!output) throw std::bad_alloc();
        plgstrm(&previous_stream_);
        PLINT stream = 0;
        plmkstrm(&stream);
        try {
            plsfile(output);
            plsdev(device);
            plspage(0, 0, static_cast<PLINT>(width), static_cast<PLINT>(height), 0, 0);
            // Before plinit, which paints the background.
            std::vector<PLINT> red, green, blue;
            for (const rgb& c : colours) {
                red.push_back(c.red);
                green.push_back(c.green);
                blue.push_back(c.blue);
            }
            plscmap0(red.data(), green.data(), blue.data(), static_cast<PLINT>(colours.size()));
            plinit();
        } catch (...) {  // PLplot failed (see error_handlers): leave its stream, and the memory
            plsstrm(previous_stream_);
            throw;
        }
    }

    plplot_page(const plplot_page&) = delete;
    plplot_page& operator=(const plplot_page&) = delete;

    ~plplot_page() {
        end();
        // After a fatal error PLplot may still hold the memory stream: leak it rather than
        // free what it may write to.
        if (!plplot().failed) std::free(buffer_);
    }

    /// Ends the page; its file's content. Throws `plplot_error` if PLplot reported an error.
    std::vector<std::uint8_t> bytes() {
        end();
        if (!plplot().first_error.empty())
            throw plplot_error(fmt::format("PLplot could not draw the plot: {}", plplot().first_error));
        if (size_ == 0) throw plplot_error("PLplot wrote nothing and said nothing: a page too large for its device?");
        return std::vector<std::uint8_t>(buffer_, buffer_ + size_);
    }

private:
    // PLplot's error handlers, set while the page is drawn (and PLplot's own after).
    struct error_handlers {
        error_handlers() {
            plplot().first_error.clear();
            plplot().failed = false;
            // Non-fatal errors (bad arguments) would go to stderr: keep the first for bytes().
            plsabort([](const char* message) {
                if (plplot().first_error.empty()) plplot().first_error = message;
            });
            // After its exit handler returns, PLplot prints to stderr and calls exit():
            // throwing is the only way to keep the program. Unreachable for what is checked
            // first (an unknown device; an unwritable file, as PLplot writes to memory); kept
            // for what cannot be (a driver that fails to load, memory).
            plsexit([](const char* message) -> int {
                plplot().failed = true;
                throw plplot_error(fmt::format("PLplot failed: {}", message));
            });
        }
        error_handlers(const error_handlers&) = delete;
        error_handlers& operator=(const error_handlers&) = delete;
        ~error_handlers() {
            plsabort(nullptr);
            plsexit(nullptr);
        }
    };

    // Throws if PLplot has no driver for `device`: plinit would print a menu and ask on stdin.
    static void require_device(std::string_view device) {
        // PLplot fills arrays it is given, with names it owns; room for all of Debian's devices.
        std::vector<const char*> menu(128), names(128);
        const char** menu_data = menu.data();
        const char** names_data = names.data();
        int count = static_cast<int>(names.size());
        plgDevs(&menu_data, &names_data, &count);
        const std::vector<std::string_view> known(names.begin(), names.begin() + count);
        for (std::string_view name : known)
            if (name == device) return;
        throw plplot_error(fmt::format("PLplot has no '{}' device here (it has: {}); on Debian, the cairo "
                                       "devices come with plplot-driver-cairo",
                                       device, fmt::join(known, ", ")));
    }

    // Ends the stream once: PLplot finishes the page, then closes the memory stream, which
    // sets buffer_ and size_. A stream that failed is only left.
    void end() {
        if (ended_) return;
        ended_ = true;
        if (!plplot().failed) plend1();
        plsstrm(previous_stream_);
    }

    std::unique_lock<std::mutex> lock_;
    error_handlers handlers_;
    char* buffer_ = nullptr;
    std::size_t size_ = 0;
    PLINT previous_stream_ = 0;
    bool ended_ = false;
};

}  // namespace detail
}  // namespace typenet::plot
