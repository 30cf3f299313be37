/// Defines `typenet::checked_loss`, a loss checked at compile time against the output of
/// a network, and `invalid_loss`, what its build error shows.
#pragma once

#include <span>
#include <type_traits>
#include <utility>

#include <typenet/diagnostics.hpp>
#include <typenet/losses/loss.hpp>
#include <typenet/network.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// What a build error shows when a loss cannot score a network's output: the loss as
/// written, what it needs (`expected<shape<10>>`) and the network's output shape.
///
///     invalid_loss<softmax_cross_entropy<10>, expected<shape<10>>, got<shape<5>>>
template <class Loss, class Why, class Got>
struct invalid_loss {};

/// Why `checked_loss<Loss, Net>` fails when `Loss` is not a loss (it has no shape rule).
struct is_not_a_typenet_loss;

namespace detail {

template <class Loss, class = void>
struct is_loss : std::false_type {};
template <class Loss>
struct is_loss<Loss, std::void_t<decltype(Loss::template fit<shape<>>())>> : std::true_type {};

template <class Loss, class Output>
constexpr auto fit_checked() {
    if constexpr (is_loss<Loss>::value)
        return Loss::template fit<Output>();
    else
        return rejection<because<is_not_a_typenet_loss>>{};
}

template <class Loss, class Output, class Fit>
struct loss_verdict_of {
    using type = void;
};
template <class Loss, class Output, class Why>
struct loss_verdict_of<Loss, Output, rejection<Why>> {
    using type = invalid_loss<Loss, Why, got<Output>>;
};

/// `void` when `Loss` can score outputs of shape `Output`, else the `invalid_loss<…>` to report.
template <class Loss, class Output>
using loss_verdict = typename loss_verdict_of<Loss, Output, decltype(fit_checked<Loss, Output>())>::type;

// A network that does not fit together has already failed with its own error, and its
// output shape is a stand-in (shape<1>): judging a loss by it would add a second error.
template <class Net>
struct network_failed {
    static constexpr bool value = false;
};
template <class T, class Input, class... Layers>
struct network_failed<basic_network<T, Input, Layers...>> {
    static constexpr bool value =
        !(is_valid_input<Input> && walk_network<is_valid_input<Input>, Input, Layers...>::type::ok);
};

// A named trait with its own `value`, so that the compiler prints the invalid_loss<…>.
template <class Verdict>
struct loss_fits_network {
    static constexpr bool value = false;
};
template <>
struct loss_fits_network<void> {
    static constexpr bool value = true;
};

}  // namespace detail

/// `Loss` bound to the network `Net`: the build stops with one error naming both unless
/// the loss scores `Net::output_shape` (`softmax_cross_entropy<10>` needs `shape<10>`).
/// `evaluate` is the loss's, for the network's scalar type, so containers convert to
/// the spans it takes.
///
///     using net = network<input<784>, dense<128>, relu, dense<10>>;
///     using loss = checked_loss<softmax_cross_entropy<10>, net>;
///     std::vector<float> scores(n * 10), grad_scores(n * 10);
///     std::vector<class_label> labels(n);
///     float mean = loss::evaluate(scores, labels, grad_scores);
template <class Loss, class Net>
class checked_loss {
    using output = typename Net::output_shape;
    using fit_verdict = detail::loss_verdict<Loss, output>;
    using verdict = std::conditional_t<detail::network_failed<Net>::value, void, fit_verdict>;

public:
    using loss_type = Loss;
    using network_type = Net;
    using scalar_type = typename Net::scalar_type;
    using output_shape = output;

    /// `Loss::evaluate<scalar_type>(outputs, targets, grad_outputs)`: the mean loss of the
    /// batch, with d(loss)/d(outputs) written into `grad_outputs` (see losses/loss.hpp).
    template <class Targets>
    static scalar_type evaluate(std::span<const scalar_type> outputs, Targets&& targets,
                                std::span<scalar_type> grad_outputs) {
        // A loss that does not fit is not called, so that the one error below (or the
        // network's own) stays alone.
        if constexpr (std::is_void_v<fit_verdict>)
            return Loss::template evaluate<scalar_type>(outputs, std::forward<Targets>(targets), grad_outputs);
        else
            return scalar_type(0);
    }

private:
    // The check stands last: clang forgets the members declared after a failed
    // static_assert, and would add an error for every later use of checked_loss.
    //
    // If you see this error: read the invalid_loss<loss, expected<output shape it needs>,
    // got<the network's output shape>> printed with it. A loss scores a vector: end the
    // network with dense<N> (or flatten) where N is the loss's size.
    static_assert(detail::loss_fits_network<verdict>::value,
                  "typenet: the loss does not fit the network's output; the invalid_loss<loss, expected<output shape>, got<network output shape>> printed with this error names both");
};

}  // namespace typenet
