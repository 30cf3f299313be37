// Prints the typenet network type an ONNX model describes, as a header to include:
//
//     build/examples/onnx_to_type resnet18.onnx resnet18 > resnet18.hpp
//
// then, in C++:
//
//     #include "resnet18.hpp"
//     auto net = std::make_unique<resnet18>();
//     typenet::onnx::load(*net, "resnet18.onnx");
//     fmt::print("{}", typenet::summary<resnet18>());
//
// A model typenet cannot express is an error naming the node; the exit status is then 1.
#include <cstdio>
#include <exception>
#include <string>

#include <fmt/format.h>

#include <typenet/onnx/declaration.hpp>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fmt::print(stderr, "usage: onnx_to_type MODEL.onnx [TYPE_NAME]   (the header goes to standard output)\n");
        return 2;
    }
    const std::string name = argc == 3 ? argv[2] : "model";
    try {
        const std::string declaration = typenet::onnx::type_declaration(argv[1], name);
        fmt::print("// The typenet network of {}, written by onnx_to_type: load that file into it with\n"
                   "// typenet::onnx::load. The comments name the ONNX node of each layer.\n"
                   "#pragma once\n\n#include <typenet/typenet.hpp>\n\nnamespace tn = typenet;\n\n{}",
                   argv[1], declaration);
    } catch (const std::exception& e) {
        fmt::print(stderr, "onnx_to_type: {}\n", e.what());
        return 1;
    }
}
