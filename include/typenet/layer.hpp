/// Defines the layer contract: what every typenet layer provides, and `epilogue`, the
/// element-wise work a layer runs inside its own output loop.
///
/// Minimal complete definition. A layer as the user writes it (`conv2d<32, kernel<3>>`)
/// is a *spec* `L` with
///
///     template <class In> static constexpr auto infer();
///         // the output shape for input shape `In`, or rejection<expected<…>> /
///         // rejection<because<…>>. Defined for every shape of every rank, so a mistake
///         // becomes a readable invalid_layer<…> and never an incomplete type.
///     template <class In> struct on;
///         // the layer applied to an `In` that `infer` accepted, with
///         using input_shape, output_shape;
///         static constexpr std::size_t parameter_count;  // weights, in PyTorch's order
///         static constexpr std::size_t flops;            // 2 per multiply-add, 1 per other op
///         static constexpr layer_role role;
///         static std::string describe();                // one summary cell, e.g. "conv2d 32 3x3"
///         template <class T, class Epilogue>
///         static void forward(const T* params, const T* in, T* out, T* scratch, Epilogue);
///
/// For training, `on<In>` also provides
///
///     template <class T>
///     static void backward(const T* params, const T* in, const T* out, const T* store,
///                          T* grad_out, T* grad_in, T* grad_params, T* scratch, train_context);
///         // given dL/dout in grad_out (which it may overwrite), adds dL/dparams into
///         // grad_params unless it is null (a frozen layer: computes none of them) and
///         // writes dL/din into grad_in unless it is null. `in` and `out` are the values
///         // of the forward pass.
///
/// Optional members of `on<In>`, read through `detail::layer_traits`:
///     static constexpr std::size_t scratch_size;          // elements of working memory, default 0
///     static constexpr std::array<tensor_desc, N> parameter_tensors;  // default none
///     static constexpr std::size_t fan_in, fan_out;       // for initialisation, default 1
///     template <class T> static void forward_train(const T* params, const T* in, T* out,
///                                                  T* store, train_context);  // when training differs
///         // (a compute layer's takes the fused epilogue as a last argument too)
///     static constexpr std::size_t training_size, backward_scratch_size;   // default 0
///     static constexpr bool batches;                      // default false; when true:
///     template <class T, class Epilogue>
///     static void forward_batch(const T* params, batch_rows<const T> in, batch_rows<T> out,
///                               std::size_t count, T* scratch, Epilogue);
///     template <class T>
///     static void backward_batch(const T* params, batch_rows<const T> in, batch_rows<T> grad_out,
///                                batch_rows<T> grad_in, T* grad_params, std::size_t count);
///         // the same passes over `count` samples at once (a layer whose weights are worth
///         // reusing across samples: dense); grad_in.data is null when not wanted.
/// An `elementwise` layer also provides `template <class T> static T apply(T)` and, when
/// its derivative follows from its output, `template <class T> static T derivative(T out)`.
///
/// A layer with state that is saved but not trained (batch norm's running statistics)
/// declares `static constexpr std::size_t buffer_count` and `buffer_tensors`; it, and every
/// layer made of layers, takes `weights<T>` where the others take `const T* params`. A
/// layer whose training pass needs the whole batch at once (batch norm's statistics)
/// declares `static constexpr bool synchronizes = true` and, instead of forward_train and
/// backward,
///     template <class T, class Contexts, class Epilogue>
///     static void forward_train_batch(weights<T>, batch_rows<const T> in, batch_rows<T> out,
///                                     batch_rows<T> store, std::size_t count, const Contexts&, Epilogue);
///     template <class T, class Contexts>
///     static void backward_train_batch(weights<T>, batch_rows<const T> in, batch_rows<const T> out,
///                                      batch_rows<const T> store, batch_rows<T> grad_out,
///                                      batch_rows<T> grad_in, T* grad_params, T* scratch,
///                                      T* rows, std::size_t count, const Contexts&);
///         // `count` samples of this thread's part of the batch; `Contexts` gives sample n's
///         // train_context and `sync()`, the batch_sync that adds up sums over all threads.
///         // `rows` holds count·batch_rows_size values (default 0).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include <typenet/frozen_parameters.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// How a layer's forward pass may be scheduled.
enum class layer_role {
    compute,      ///< reads `in`, writes a new `out`, runs an epilogue on each output value
    elementwise,  ///< out = f(in) value by value: fused into the layer before it when it can
    in_place,     ///< may write over its input (`out == in`); no epilogue
    block,        ///< a nested network: reads `in`, writes a new `out`, uses scratch
};

/// One parameter tensor of a layer, with PyTorch's name and shape (`weight`: OIHW, or
/// conv3d's OIDHW: five dimensions at most).
struct tensor_desc {
    /// How a tensor starts: drawn by the network's initializer, or a constant (`fill`:
    /// `initial_value`).
    enum class start : unsigned char { drawn, zeros, ones, fill };

    std::string_view name;
    std::array<std::size_t, 5> dims{};
    std::size_t rank = 0;
    start initial = start::drawn;
    double initial_value = 0;

    constexpr std::size_t size() const {
        std::size_t n = 1;
        for (std::size_t i = 0; i < rank; ++i) n *= dims[i];
        return n;
    }
};

/// How the layers whose training differs from their inference behave in a training pass,
/// PyTorch's `module.train()` and `module.eval()` (network::train(), eval(), set_mode()).
struct training_mode {
    /// Dropout drops values; else it passes them all, as at inference.
    bool dropout = true;
    /// Batch norm normalizes with the batch's statistics and updates its running ones;
    /// else it normalizes with the running ones and leaves them unchanged (the usual way
    /// to fine-tune a network trained on other data).
    bool batch_statistics = true;

    friend constexpr bool operator==(training_mode, training_mode) = default;
};

/// What a training pass tells each layer: a key that differs for every iteration, sample
/// and layer, from which dropout draws its mask again in the backward pass, and the mode.
struct train_context {
    std::uint64_t key = 0;
    training_mode mode{};

    // splitmix64: a counter-based generator, so masks need no storage and no shared state.
    static constexpr std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    constexpr train_context at(std::uint64_t index) const {
        return {mix(key + 0x9e3779b97f4a7c15ULL * (index + 1)), mode};
    }
    /// A number in [0, 1) for element `i`.
    constexpr double uniform(std::uint64_t i) const {
        return double(mix(key ^ (0x9e3779b97f4a7c15ULL * (i + 1))) >> 11) * 0x1p-53;
    }
};

/// `count` samples of one layer's input or output, sample n at `data + n * stride`: a
/// batch in one buffer, or spread over the per-sample storage of a training pass.
template <class T>
struct batch_rows {
    T* data;
    std::size_t stride;
    T* operator[](std::size_t n) const { return data + n * stride; }
    operator batch_rows<const T>() const
        requires(!std::is_const_v<T>)
    {
        return {data, stride};
    }
};

/// A layer's view of the network's weights: its trainable parameters and its buffers
/// (state saved with them but never trained: batch norm's running statistics), and in a
/// training pass which of them are frozen. At inference, also where the layer keeps what
/// it derives from them between passes (`kept`: packed or folded weights) and the
/// `generation` of the weights, which changes whenever they may have.
template <class T>
struct weights {
    const T* params;
    T* buffers;
    const frozen_parameters* frozen = nullptr;
    std::size_t param_index = 0, buffer_index = 0;  // where `params` and `buffers` are in the network's
    T* kept = nullptr;  // null in a training pass: a layer then derives into its own storage, each time
    std::uint64_t generation = 0;

    /// Those of a layer whose parameters start `p` and buffers `b` values further on.
    weights at(std::size_t p, std::size_t b) const {
        return {params + p, buffers + b, frozen, param_index + p, buffer_index + b, kept, generation};
    }
    /// Those of a layer whose kept values start `k` values further on.
    weights kept_at(std::size_t k) const {
        weights w = *this;
        if (kept) w.kept += k;
        return w;
    }
    /// Whether any of the `count` parameters from the `p`th is trained.
    bool trains(std::size_t p, std::size_t count) const {
        return count > 0 && (!frozen || frozen->any_trained(param_index + p, count));
    }
    /// Whether a batch norm with these `count` buffers is frozen with its statistics kept.
    bool keeps_buffers(std::size_t count) const { return frozen && frozen->keeps_buffers(buffer_index, count); }
};

/// What an epilogue applies of a fused layer: its value-by-value function alone (`relu`
/// rather than relu bound to a shape), so that layers of different shapes fusing the same
/// function share their instances (batch norm's training pass, the element-wise loops).
template <class Layer>
struct fused_operation_of {
    using type = Layer;
};
template <class Layer>
    requires requires { typename Layer::operation; }
struct fused_operation_of<Layer> {
    using type = typename Layer::operation;
};
template <class Layer>
using fused_operation = typename fused_operation_of<Layer>::type;

/// The element-wise layers fused into a compute layer, applied in order to each output.
template <class... Ops>
struct epilogue {
    static constexpr std::size_t count = sizeof...(Ops);

    template <class T>
    static T apply(T x) {
        ((x = Ops::apply(x)), ...);
        return x;
    }
    template <class T>
    static void apply_all(T* p, std::size_t n) {
        if constexpr (sizeof...(Ops) > 0)
            for (std::size_t i = 0; i < n; ++i) p[i] = apply(p[i]);
    }
    /// grad *= f'(out) through the fused layer; training fuses at most one, whose
    /// derivative follows from its output.
    template <class T>
    static void chain_rule(const T* __restrict out, T* __restrict grad, std::size_t n) {
        static_assert(sizeof...(Ops) <= 1, "typenet: training fuses at most one element-wise layer");
        if constexpr (sizeof...(Ops) == 1)
            for (std::size_t i = 0; i < n; ++i) grad[i] *= (Ops::derivative(out[i]), ...);
    }

    /// These layers, then those of `Next` (an epilogue).
    template <class Next>
    using then = typename Next::template after_layers<Ops...>;
    template <class... Before>
    using after_layers = epilogue<Before..., Ops...>;

    // What a kernel calls where it stores, so that an adding_epilogue can take its place.
    static constexpr bool adds = false;
    using before = epilogue;
    template <class T>
    static T finish(T x, const T*) {
        return apply(x);
    }
    template <class T>
    static void finish_all(T* p, std::size_t n) {
        apply_all(p, n);
    }
    /// What a batch pass runs on sample n: the same layers.
    static epilogue sample(std::size_t) { return {}; }
};

/// A tensor of the output's shape added to each output of a layer, between the layers
/// fused into it (`Before`) and those fused after the addition (`After`): a residual
/// block's shortcut added in the loop of the last layer of its body, its ReLU with it.
/// `addend[i]` goes with `out[i]`; kernels say where they store, `finish(x, at)`.
template <class T, class Before, class After>
struct adding_epilogue {
    static constexpr std::size_t count = Before::count + 1 + After::count;
    static constexpr bool adds = true;
    using before = Before;
    using after = After;
    const T* addend;
    const T* out;

    const T* addend_at(const T* at) const { return addend + (at - out); }
    /// For a kernel that runs `Before` itself, once for many stores.
    adding_epilogue<T, epilogue<>, After> without_before() const { return {addend, out}; }
    T finish(T x, const T* at) const { return After::apply(Before::apply(x) + *addend_at(at)); }
    void finish_all(T* p, std::size_t n) const {
        for (std::size_t i = 0; i < n; ++i) p[i] = finish(p[i], p + i);
    }
};

/// An adding_epilogue over a batch (training's batch pass): sample n's addend is addend[n],
/// its output out[n].
template <class T, class Before, class After>
struct adding_rows_epilogue {
    static constexpr std::size_t count = Before::count + 1 + After::count;
    static constexpr bool adds = true;
    using after = After;
    batch_rows<const T> addend;
    batch_rows<T> out;

    adding_epilogue<T, Before, After> sample(std::size_t n) const { return {addend[n], out[n]}; }
};

namespace detail {

template <class L, class = void>
struct is_layer_spec : std::false_type {};
template <class L>
struct is_layer_spec<L, std::void_t<decltype(L::template infer<shape<>>())>> : std::true_type {};

/// The optional parts of the contract, with their defaults.
template <class Bound>
struct layer_traits {
    static constexpr std::size_t scratch_size = [] {
        if constexpr (requires { Bound::scratch_size; }) return std::size_t(Bound::scratch_size);
        else return std::size_t(0);
    }();
    static constexpr auto parameter_tensors = [] {
        if constexpr (requires { Bound::parameter_tensors; }) return Bound::parameter_tensors;
        else return std::array<tensor_desc, 0>{};
    }();
    static constexpr std::size_t fan_in = [] {
        if constexpr (requires { Bound::fan_in; }) return std::size_t(Bound::fan_in);
        else return std::size_t(1);
    }();
    static constexpr std::size_t fan_out = [] {
        if constexpr (requires { Bound::fan_out; }) return std::size_t(Bound::fan_out);
        else return std::size_t(1);
    }();
    static constexpr std::size_t training_size = [] {
        if constexpr (requires { Bound::training_size; }) return std::size_t(Bound::training_size);
        else return std::size_t(0);
    }();
    /// Values the layer keeps between inference passes, derived from its weights
    /// (Winograd's transformed filters, a batch norm folded into a convolution): outside
    /// the arena, in a region of its own.
    static constexpr std::size_t kept_size = [] {
        if constexpr (requires { Bound::kept_size; }) return std::size_t(Bound::kept_size);
        else return std::size_t(0);
    }();
    static constexpr std::size_t backward_scratch_size = [] {
        if constexpr (requires { Bound::backward_scratch_size; }) return std::size_t(Bound::backward_scratch_size);
        else return std::size_t(0);
    }();
    static constexpr bool batches = [] {
        if constexpr (requires { Bound::batches; }) return bool(Bound::batches);
        else return false;
    }();
    /// Whether its passes take an adding_epilogue, a tensor added to each output in its own
    /// loop (the shortcut of a residual block whose body it ends), and its backward pass
    /// reads only its input: in training, its output is then the block's sum.
    static constexpr bool adds_in_loop = [] {
        if constexpr (requires { Bound::adds_in_loop; }) return bool(Bound::adds_in_loop);
        else return false;
    }();
    static constexpr std::size_t buffer_count = [] {
        if constexpr (requires { Bound::buffer_count; }) return std::size_t(Bound::buffer_count);
        else return std::size_t(0);
    }();
    static constexpr auto buffer_tensors = [] {
        if constexpr (requires { Bound::buffer_tensors; }) return Bound::buffer_tensors;
        else return std::array<tensor_desc, 0>{};
    }();
    static constexpr bool synchronizes = [] {
        if constexpr (requires { Bound::synchronizes; }) return bool(Bound::synchronizes);
        else return false;
    }();
    static constexpr std::size_t batch_rows_size = [] {
        if constexpr (requires { Bound::batch_rows_size; }) return std::size_t(Bound::batch_rows_size);
        else return std::size_t(0);
    }();
    /// Values of every batch_sync sum the layer asks for: the largest.
    static constexpr std::size_t sync_width = [] {
        if constexpr (requires { Bound::sync_width; }) return std::size_t(Bound::sync_width);
        else return std::size_t(0);
    }();
};

/// `grad_params + offset`: where a layer adds the gradient of a tensor; null for a frozen
/// layer, whose grad_params is null.
template <class T>
constexpr T* gradient_at(T* grad_params, std::size_t offset) {
    return grad_params ? grad_params + offset : nullptr;
}

/// A spec applied to an input shape.
template <class Spec, class In>
using bind = typename Spec::template on<In>;

/// A bound layer made of layers (a `sequential`, a `residual`, a `concat`): the summary,
/// the parameter names and training's activations look inside it.
template <class Bound>
concept nests_layers = requires { typename Bound::layers; };

/// A bound layer that takes `weights<T>`: one with buffers, one made of layers, or one
/// that may keep values derived from its weights (it says how many: `kept_size`).
template <class Bound>
concept takes_weights =
    nests_layers<Bound> || layer_traits<Bound>::buffer_count > 0 || requires { Bound::kept_size; };

}  // namespace detail
}  // namespace typenet
