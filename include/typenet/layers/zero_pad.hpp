/// Defines `typenet::zero_pad`.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <fmt/format.h>

#include <typenet/detail/window.hpp>
#include <typenet/detail/window_rejection.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// Zeros around an image `shape<C, H, W>` or a signal `shape<C, L>`, as a layer of its
/// own, PyTorch's `ZeroPad2d`/`ZeroPad1d` (ONNX's `Pad`). The amounts are those of the
/// `pad<…>` option: one for every side; (height, width) for an image, (left, right) for a
/// signal; or (top, bottom, left, right). Beware: PyTorch's ZeroPad2d takes (left, right,
/// top, bottom).
///
///     zero_pad<1>               // 1 on every side
///     zero_pad<0, 1, 0, 1>      // 1 below and 1 to the right, TensorFlow's "same" before a stride-2 layer
template <int... Amounts>
struct zero_pad {
    template <class In>
    static constexpr detail::window window_for() {
        constexpr bool signal = In::rank == 2;
        return detail::make_window(signal, signal ? 1 : long(In::dims[1]), long(In::dims[In::rank - 1]),
                                   std::array<int, 1>{1}, std::array<int, 1>{1}, std::array<int, 1>{1},
                                   std::array<int, sizeof...(Amounts)>{Amounts...}, false, false);
    }

    template <class In>
    static constexpr auto infer() {
        if constexpr (In::rank != 2 && In::rank != 3)
            return rejection<expected<any_shape_of_rank<3>>>{};
        else if constexpr (sizeof...(Amounts) == 0)
            return rejection<because<padding_takes_1_2_or_4_values>>{};
        else if constexpr (constexpr auto w = window_for<In>(); w.fault != detail::window_fault::none)
            return detail::window_rejection<w.fault, In::rank == 2, false>();
        else if constexpr (In::rank == 2)
            return shape<In::dims[0], std::size_t(w.w.padded())>{};
        else
            return shape<In::dims[0], std::size_t(w.h.padded()), std::size_t(w.w.padded())>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = decltype(infer<In>());
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t parameter_count = 0;
        static constexpr std::size_t flops = 0;
        static constexpr detail::window padding = window_for<In>();
        static constexpr long channels = long(In::dims[0]);

        static std::string describe() {
            return fmt::format("zero_pad {},{},{},{}", padding.h.pad_before, padding.h.pad_after, padding.w.pad_before,
                               padding.w.pad_after);
        }

        // in: shape<C,H,W>  out: shape<C,H+top+bottom,W+left+right>
        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue ep) {
            const T zero = ep.apply(T(0));
            for (long c = 0; c < channels; ++c)
                for (long y = 0; y < padding.h.padded(); ++y) {
                    const long sy = y - padding.h.pad_before;
                    T* row = out + (c * padding.h.padded() + y) * padding.w.padded();
                    for (long x = 0; x < padding.w.padded(); ++x) {
                        const long sx = x - padding.w.pad_before;
                        const bool inside = sy >= 0 && sy < padding.h.size && sx >= 0 && sx < padding.w.size;
                        row[x] = inside ? ep.apply(in[(c * padding.h.size + sy) * padding.w.size + sx]) : zero;
                    }
                }
        }

        template <class T>
        static void backward(const T*, const T*, const T*, const T*, T* grad_out, T* grad_in, T*, T*, train_context) {
            if (!grad_in) return;
            for (long c = 0; c < channels; ++c)
                for (long y = 0; y < padding.h.size; ++y)
                    for (long x = 0; x < padding.w.size; ++x)
                        grad_in[(c * padding.h.size + y) * padding.w.size + x] =
                            grad_out[(c * padding.h.padded() + y + padding.h.pad_before) * padding.w.padded() + x + padding.w.pad_before];
        }
    };
};

}  // namespace typenet
