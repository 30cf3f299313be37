/// Defines `typenet::detail::network_snapshot`: a copy of a network's parameters and
/// buffers, what early stopping keeps of its best epoch and a checkpoint of the network.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace typenet::detail {

/// The parameters, then the buffers (batch norm's running statistics), of a `Net`: all
/// that its outputs and its training depend on. Empty until something is taken.
template <class Net>
class network_snapshot {
    using T = typename Net::scalar_type;

public:
    static constexpr std::size_t size = Net::parameter_count + Net::buffer_count;

    bool empty() const { return values_.empty(); }
    std::span<const T> values() const { return values_; }

    void take(const Net& net) {
        values_.resize(size);
        std::copy(net.buffers().begin(), net.buffers().end(),
                  std::copy(net.parameters().begin(), net.parameters().end(), values_.begin()));
    }
    /// Takes `values`, `size` of them in the order of `values()`, as they are.
    void assign(std::span<const T> values) { values_.assign(values.begin(), values.end()); }
    void clear() { values_.clear(); }

    /// Puts the values back into `net`; does nothing if the snapshot is empty.
    void restore(Net& net) const {
        if (empty()) return;
        const auto buffers = values_.begin() + std::ptrdiff_t(Net::parameter_count);
        std::copy(values_.begin(), buffers, net.parameters().begin());
        std::copy(buffers, values_.end(), net.buffers().begin());
    }

private:
    std::vector<T> values_;
};

}  // namespace typenet::detail
