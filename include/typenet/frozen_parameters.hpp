/// Defines `typenet::frozen_parameters`: which of a network's parameters training leaves as
/// they are (`network::freeze`), and which batch norms keep their running statistics.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace typenet {

/// What a frozen batch norm does in a training pass.
enum class frozen_statistics {
    kept,     ///< normalizes with its running statistics and leaves them (PyTorch's usual fine-tuning: bn.eval())
    updated,  ///< normalizes with the batch's and updates the running ones, as an unfrozen one does
};

/// Values [first, last) of an array: a layer's parameters or its buffers.
struct index_range {
    std::size_t first = 0, last = 0;
    friend constexpr bool operator==(index_range, index_range) = default;
};

/// Frozen parameters, and the buffers (batch norms' running statistics) kept unchanged, as
/// sorted, disjoint ranges: a backward pass asks about a layer's range in a few comparisons.
class frozen_parameters {
public:
    /// Freezes the parameters `params`; the buffers `buffers` keep their values if `statistics` is kept.
    void freeze(index_range params, index_range buffers, frozen_statistics statistics) {
        params_.add(params);
        if (statistics == frozen_statistics::kept)
            kept_buffers_.add(buffers);
        else
            kept_buffers_.remove(buffers);
    }
    void unfreeze(index_range params, index_range buffers) {
        params_.remove(params);
        kept_buffers_.remove(buffers);
    }
    void clear() { *this = {}; }

    /// Whether no parameter is frozen and every batch norm updates its statistics.
    bool empty() const { return params_.ranges.empty() && kept_buffers_.ranges.empty(); }
    /// Whether any of `count` parameters from `first` is trained (false for none).
    bool any_trained(std::size_t first, std::size_t count) const { return count > 0 && !params_.covers({first, first + count}); }
    /// Whether the `count` buffers from `first` keep their values.
    bool keeps_buffers(std::size_t first, std::size_t count) const { return count > 0 && kept_buffers_.covers({first, first + count}); }
    /// The frozen parameters, in order.
    const std::vector<index_range>& frozen_ranges() const { return params_.ranges; }
    std::size_t frozen_count() const {
        std::size_t n = 0;
        for (const index_range& r : params_.ranges) n += r.last - r.first;
        return n;
    }

    /// Calls `f(first, last)` for each run of trained parameters among the first `total`.
    template <class F>
    void for_each_trained(std::size_t total, F&& f) const {
        std::size_t from = 0;
        for (const index_range& r : params_.ranges) {
            if (r.first >= total) break;
            if (r.first > from) f(from, r.first);
            from = std::max(from, r.last);
        }
        if (from < total) f(from, total);
    }

private:
    struct range_set {
        std::vector<index_range> ranges;  // sorted, disjoint, none empty, none touching

        bool covers(index_range r) const {
            const auto after = std::upper_bound(ranges.begin(), ranges.end(), r.first,
                                                [](std::size_t v, const index_range& x) { return v < x.first; });
            return after != ranges.begin() && std::prev(after)->last >= r.last;
        }
        void add(index_range r) {
            if (r.first >= r.last) return;
            remove(r);
            const auto at = std::lower_bound(ranges.begin(), ranges.end(), r,
                                             [](const index_range& x, const index_range& y) { return x.first < y.first; });
            const auto inserted = ranges.insert(at, r);
            // Join neighbours that touch it, so that a run of frozen layers is one range.
            if (const auto next = std::next(inserted); next != ranges.end() && next->first == inserted->last) {
                inserted->last = next->last;
                ranges.erase(next);
            }
            if (inserted != ranges.begin() && std::prev(inserted)->last == inserted->first) {
                std::prev(inserted)->last = inserted->last;
                ranges.erase(inserted);
            }
        }
        void remove(index_range r) {
            if (r.first >= r.last) return;
            std::vector<index_range> kept;
            for (const index_range& x : ranges) {
                if (x.first < r.first) kept.push_back({x.first, std::min(x.last, r.first)});
                if (x.last > r.last) kept.push_back({std::max(x.first, r.last), x.last});
            }
            ranges = std::move(kept);
        }
    };

    range_set params_, kept_buffers_;
};

}  // namespace typenet
