/// Defines `typenet::detail::batch_sync`, sums over the whole batch of a training pass
/// whose samples are shared between threads (batch norm's statistics), and
/// `sample_contexts`, what the training pass of a part of a batch is given.
#pragma once

#include <barrier>
#include <cstddef>
#include <span>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// What the threads of one training pass share to add up their sums: a barrier and, for
/// each thread, a row of `width` values to publish its sums in and one to work in.
class batch_sync_group {
public:
    batch_sync_group(std::size_t threads, std::size_t width)
        : threads_(threads), width_(width), barrier_(std::ptrdiff_t(threads)), slots_(threads * width),
          work_(threads * width) {}

private:
    friend class batch_sync;
    std::size_t threads_, width_;
    std::barrier<> barrier_;
    aligned_buffer<double> slots_, work_;
};

/// One thread's side of a batch_sync_group. Every thread of the pass must make the same
/// calls in the same order, those with no sample of the batch too.
class batch_sync {
public:
    batch_sync(batch_sync_group& group, std::size_t thread) : group_(&group), thread_(thread) {}

    /// Replaces each of `values`, this thread's sums, with the sum over all threads,
    /// added in the order of the threads: every thread gets the same bits.
    void sum(std::span<double> values) const {
        if (group_->threads_ == 1) return;
        double* const mine = group_->slots_.data() + thread_ * group_->width_;
        std::copy(values.begin(), values.end(), mine);
        group_->barrier_.arrive_and_wait();
        for (std::size_t i = 0; i < values.size(); ++i) {
            double total = 0;
            for (std::size_t t = 0; t < group_->threads_; ++t) total += group_->slots_.data()[t * group_->width_ + i];
            values[i] = total;
        }
        // No thread writes its row again before every thread has read them all.
        group_->barrier_.arrive_and_wait();
    }

    /// `width()` values of this thread's own, for the sums it computes.
    std::span<double> local() const { return {group_->work_.data() + thread_ * group_->width_, group_->width_}; }

    /// Whether this thread updates what the threads share (the running statistics).
    bool leads() const { return thread_ == 0; }
    std::size_t width() const { return group_->width_; }

private:
    batch_sync_group* group_;
    std::size_t thread_;
};

/// The train_context of each sample of a part of a batch, `of(n)`, and the batch_sync of
/// its thread. `at(i)` gives those of layer i inside, as train_context::at does.
template <class F>
struct sample_contexts {
    F of;
    const batch_sync* sync_;

    train_context operator()(std::size_t n) const { return of(n); }
    const batch_sync& sync() const { return *sync_; }
    /// The mode of the pass, the same for every sample (of(0) is defined when there is none).
    training_mode mode() const { return of(0).mode; }
    auto at(std::size_t i) const {
        auto inner = [of = of, i](std::size_t n) { return of(n).at(i); };
        return sample_contexts<decltype(inner)>{inner, sync_};
    }
};

template <class F>
sample_contexts<F> make_sample_contexts(F of, const batch_sync& sync) {
    return {of, &sync};
}

}  // namespace typenet::detail
