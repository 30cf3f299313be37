// Where an inference pass of a typenet network spends its time, by kind of layer.
//
// Each step of a batch-1 pass is timed alone, as the network runs it (a batch norm folded
// into the convolution before it, element-wise layers in its loop, a pool in a
// convolution's step), on input, output and scratch of its own, on the threads the
// network would split it over. Nested blocks are walked step by step; a residual or
// concatenating block is timed whole, and each of its branches whole, and what the block
// takes beyond its branches is its merge (the addition in the body's last loop, the
// element-wise layers after it); then the branches' steps one by one. The sum of the steps differs from the whole pass: each
// step runs again and again on data already in cache, and the steps of a pass do not.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/hana/for_each.hpp>
#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/batch_norm_layer.hpp>
#include <typenet/detail/branches.hpp>
#include <typenet/detail/conv_pool_layer.hpp>
#include <typenet/detail/folded_batch_norm.hpp>
#include <typenet/detail/grouped_conv_layer.hpp>
#include <typenet/detail/parallel.hpp>
#include <typenet/layers/identity.hpp>

#include "timing.hpp"

namespace bench {

enum class layer_kind {
    conv1x1, conv3x3_stride1, conv3x3_stride2, depthwise, conv7x7, conv_other, pool, batch_norm, merge, dense, other,
};
inline constexpr std::size_t kind_count = std::size_t(layer_kind::other) + 1;
inline constexpr std::array<std::string_view, kind_count> kind_names{
    "conv1x1", "conv3x3s1", "conv3x3s2", "depthwise", "conv7x7", "conv_other", "pool", "batch_norm", "merge", "dense",
    "other"};

/// Whether a kind's speed is told in GFLOP/s; the others, which move more than they
/// compute, in GB/s (a dense layer at batch 1 reads each weight once).
constexpr bool compute_bound(layer_kind k) {
    return k == layer_kind::conv1x1 || k == layer_kind::conv3x3_stride1 || k == layer_kind::conv3x3_stride2 ||
           k == layer_kind::conv7x7 || k == layer_kind::conv_other;
}

/// The time of a network's steps of one kind, and what they compute and move.
struct kind_total {
    double ms = 0, flops = 0, bytes = 0;
    std::size_t steps = 0;
};

struct layer_profile {
    std::array<kind_total, kind_count> kinds{};
    // The arena's lower bound (bench/PROTOCOL.md): the largest input + output of a step,
    // the largest scratch of one, and the largest shortcut term a residual block holds
    // while its body runs.
    std::size_t largest_pair_bytes = 0, largest_scratch_bytes = 0, largest_shortcut_bytes = 0;

    double sum_ms() const {
        double sum = 0;
        for (const kind_total& k : kinds) sum += k.ms;
        return sum;
    }
};

namespace detail {

namespace td = typenet::detail;
namespace tk = typenet::kernels;

// The geometry of a plain convolution; what a depthwise or grouped one derives from.
template <tk::conv_geometry G, class In, class Out, std::size_t Spatial>
constexpr tk::conv_geometry conv_geometry_of(const td::conv_layer<G, In, Out, Spatial>*) {
    return G;
}
template <tk::conv_geometry G, long Groups, class In, class Out, std::size_t Spatial>
constexpr bool is_depthwise(const td::depthwise_conv_layer<G, Groups, In, Out, Spatial>*) {
    return true;
}
template <tk::conv_geometry G, long Groups, class In, class Out, std::size_t Spatial>
constexpr bool is_grouped(const td::grouped_conv_base<G, Groups, In, Out, Spatial>*) {
    return true;
}
template <class In, int EpsNum, int EpsDen, int MomentumNum, int MomentumDen>
constexpr bool is_batch_norm(const td::batch_norm_layer<In, EpsNum, EpsDen, MomentumNum, MomentumDen>*) {
    return true;
}

// The layer a step's head computes with: a convolution with a batch norm folded into it
// or a pool run in its step is that convolution.
template <class Head>
struct computing_layer {
    using type = Head;
};
template <class Layer, class Norm>
struct computing_layer<td::folded_batch_norm<Layer, Norm>> {
    using type = Layer;
};
template <class Conv, class Inner, class Pool>
struct computing_layer<td::conv_pool_layer<Conv, Inner, Pool>> {
    using type = Conv;
};

template <class Bound>
concept branches = requires { Bound::how; Bound::branch_count; };

constexpr layer_kind conv_kind(tk::conv_geometry g) {
    const long kh = g.win.h.kernel, kw = g.win.w.kernel, stride = g.win.h.stride;
    if (kh == 1 && kw == 1) return layer_kind::conv1x1;
    if (kh == 3 && kw == 3 && stride == 1) return layer_kind::conv3x3_stride1;
    if (kh == 3 && kw == 3 && stride == 2) return layer_kind::conv3x3_stride2;
    if (kh == 7 && kw == 7) return layer_kind::conv7x7;
    return layer_kind::conv_other;
}

template <class Head>
constexpr layer_kind kind_of() {
    using L = typename computing_layer<Head>::type;
    if constexpr (requires(const L* l) { conv_geometry_of(l); })
        return conv_kind(conv_geometry_of(static_cast<const L*>(nullptr)));
    else if constexpr (requires(const L* l) { is_depthwise(l); }) return layer_kind::depthwise;
    else if constexpr (requires(const L* l) { is_grouped(l); }) return layer_kind::conv_other;
    else if constexpr (requires(const L* l) { is_batch_norm(l); }) return layer_kind::batch_norm;
    else if constexpr (requires { L::geometry.win; } || requires { L::geometry.out_h; }) return layer_kind::pool;
    else if constexpr (requires { typename L::with_bias; }) return layer_kind::dense;
    else return layer_kind::other;
}

// Profiles the steps of one network with weights of scalar type T.
template <class T>
class profiler {
public:
    // Each thread's arena is followed by the values the layers keep, as the network's.
    profiler(std::size_t arena_size, std::size_t kept_size, std::size_t threads, double seconds)
        : arena_size_(arena_size), arena_(arena_size + kept_size), workers_(arena_size + kept_size), seconds_(seconds) {
        workers_.resize(threads);
    }

    // The network's parameters and buffers, with the kept values after the arena.
    typenet::weights<T> weights(const T* params, T* buffers) {
        return {params, buffers, nullptr, 0, 0, arena_.data() + arena_size_, 1};
    }

    // `run(in, out, scratch)` runs `Bound` once as the pass does; `own` is what Bound is
    // given of the weights (weights<T> when it has layers inside). `path`: its step numbers
    // from the network's, and, in a block of branches, the branch's.
    template <class Bound, class Own, class Run>
    void walk(Own own, Run run, const std::string& path) {
        if constexpr (Bound::role == typenet::layer_role::block) {
            boost::hana::for_each(Bound::steps, [&](auto s) {
                using S = typename decltype(s)::type;
                const auto step_own = own.kept_at(Bound::plan.kept_offset[S::index]);
                walk<typename S::head>(
                    S::own(step_own), [&](const T* in, T* out, T* scratch) { S::run(step_own, in, out, scratch); },
                    path + std::to_string(S::index) + ".");
            });
        } else if constexpr (branches<Bound>) {
            // The merge: what the block takes beyond its branches, each run whole.
            double merge_ms = time<Bound>(run);
            std::size_t params = 0, buffers = 0, kept = 0, index = 0;
            boost::hana::for_each(typename Bound::layers{}, [&](auto t) {
                using branch = typename decltype(t)::type;
                const typenet::weights<T> at = own.at(params, buffers).kept_at(kept);
                params += branch::parameter_count;
                buffers += typenet::detail::layer_traits<branch>::buffer_count;
                kept += td::whole_lines(typenet::detail::layer_traits<branch>::kept_size);
                if constexpr (!std::is_same_v<branch, typenet::identity::on<typename branch::input_shape>>) {
                    const auto branch_own = own_of<branch>(at);
                    const auto branch_run = [&](const T* in, T* out, T* scratch) {
                        branch::forward(branch_own, in, out, scratch, typenet::epilogue<>{});
                    };
                    merge_ms -= time<branch>(branch_run);
                    walk<branch>(branch_own, branch_run, path + std::to_string(index) + ".");
                }
                ++index;
            });
            using Out = typename Bound::output_shape;
            const std::size_t terms = Bound::how == td::merge::add ? Bound::branch_count + 1 : 2;
            // The block's input and output live together, as a layer's do.
            profile_.largest_pair_bytes =
                std::max(profile_.largest_pair_bytes, (Bound::input_shape::size + Out::size) * sizeof(T));
            if (Bound::how == td::merge::add)
                profile_.largest_shortcut_bytes =
                    std::max(profile_.largest_shortcut_bytes, (Bound::branch_count - 1) * Out::size * sizeof(T));
            add(layer_kind::merge, merge_ms,
                Bound::how == td::merge::add ? double((Bound::branch_count - 1) * Out::size) : 0,
                double(terms * Out::size * sizeof(T)), path, Bound::describe());
        } else {
            using In = typename Bound::input_shape;
            using Out = typename Bound::output_shape;
            add(kind_of<Bound>(), time<Bound>(run), double(Bound::flops),
                double((In::size + Out::size + Bound::parameter_count) * sizeof(T)), path,
                computing_layer<Bound>::type::describe());
            profile_.largest_pair_bytes = std::max(profile_.largest_pair_bytes, (In::size + Out::size) * sizeof(T));
            profile_.largest_scratch_bytes =
                std::max(profile_.largest_scratch_bytes, typenet::detail::layer_traits<Bound>::scratch_size * sizeof(T));
        }
    }

    const layer_profile& result() const { return profile_; }

private:
    template <class Bound>
    static auto own_of(typenet::weights<T> w) {
        if constexpr (typenet::detail::takes_weights<Bound>) return w;
        else return w.params;
    }

    // Median ms of `run` on fresh input and output, the scratch in the arena, where the
    // network's threads find theirs (own_scratch).
    template <class Bound, class Run>
    double time(Run run) {
        td::aligned_buffer<T> in(Bound::input_shape::size), out(Bound::output_shape::size);
        std::mt19937 rng(1);
        std::uniform_real_distribution<T> value(0, 1);
        for (std::size_t i = 0; i < in.size(); ++i) in.data()[i] = value(rng);
        td::layer_pool_scope<T> scope(workers_.pool(), workers_.arenas(arena_.data()));
        return median_ms([&] { run(in.data(), out.data(), arena_.data()); }, seconds_);
    }

    // One step's time, also on stderr: the rows of the table of kinds.
    void add(layer_kind kind, double ms, double flops, double bytes, const std::string& path, const std::string& what) {
        fmt::print(stderr, "step {:<12} {:<10} {:9.4f} ms  {}\n", path.substr(0, path.size() - 1),
                   kind_names[std::size_t(kind)], ms, what);
        kind_total& k = profile_.kinds[std::size_t(kind)];
        k.ms += ms;
        k.flops += flops;
        k.bytes += bytes;
        ++k.steps;
    }

    std::size_t arena_size_;
    td::aligned_buffer<T> arena_;
    td::worker_threads<T> workers_;
    double seconds_;
    layer_profile profile_;
};

}  // namespace detail

/// The steps of `net`'s batch-1 inference pass on `threads` threads, each timed alone for
/// at least 10 calls and `seconds`, summed by kind.
template <class Net>
layer_profile profile_layers(Net& net, std::size_t threads, double seconds) {
    using T = typename Net::scalar_type;
    detail::profiler<T> profiler(Net::arena_size, Net::kept_size, threads, seconds);
    const typenet::weights<T> w = profiler.weights(net.parameters().data(), net.buffers().data());
    profiler.template walk<typename Net::block>(w, [](const T*, T*, T*) {}, "");
    return profiler.result();
}

}  // namespace bench
