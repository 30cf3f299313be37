// Tests typenet/kernels/dense.hpp against the reference loops for every vector type this
// build has: input sizes that are not a multiple of the vector width, outputs that are
// not a multiple of the row block, no bias, a fused ReLU, and rows split between parts.
#define BOOST_TEST_MODULE dense
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <typenet/kernels/dense.hpp>
#include <typenet/kernels/reference/dense.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::vector_types;

template <std::size_t I, std::size_t O, bool Bias, class V, class Epilogue = typenet::epilogue<>>
void compare() {
    const auto in = kernel_cases::random_values<float>(I, 1), w = kernel_cases::random_values<float>(I * O, 2),
               b = kernel_cases::random_values<float>(O, 3);
    std::vector<float> ref(O), out(O, NAN);
    k::reference::dense_forward<I, O, Bias>(in.data(), w.data(), b.data(), ref.data(), Epilogue{});
    k::vector::dense_forward<I, O, Bias, V>(in.data(), w.data(), b.data(), out.data(), Epilogue{}, 0, O / 3);
    k::vector::dense_forward<I, O, Bias, V>(in.data(), w.data(), b.data(), out.data(), Epilogue{}, O / 3, O);
    for (std::size_t o = 0; o < O; ++o)
        BOOST_TEST(std::abs(out[o] - ref[o]) <= 1e-6f * float(I), "output " << o << " (" << V::name << ")");
}

BOOST_AUTO_TEST_CASE_TEMPLATE(odd_sizes, V, vector_types) { compare<37, 13, true, V>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(fewer_inputs_than_lanes, V, vector_types) { compare<3, 9, true, V>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(no_bias_with_relu, V, vector_types) {
    compare<400, 120, false, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(one_output, V, vector_types) { compare<12544, 1, true, V>(); }
