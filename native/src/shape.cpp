// shape.cpp — Shape helpers and the one validation of user-given shapes.
#include "shape.hpp"

#include <sstream>

#include "error.hpp"

namespace jnas {

Shape::Shape(std::initializer_list<int64_t> list) {
    for (int64_t d : list) dims[ndim++] = d;
}

int64_t Shape::numel() const {
    int64_t n = 1;
    for (int i = 0; i < ndim; ++i) n *= dims[i];
    return n;
}

bool Shape::operator==(const Shape& other) const {
    if (ndim != other.ndim) return false;
    for (int i = 0; i < ndim; ++i)
        if (dims[i] != other.dims[i]) return false;
    return true;
}

std::string Shape::str() const {
    std::ostringstream out;
    out << '[';
    for (int i = 0; i < ndim; ++i) out << (i ? ", " : "") << dims[i];
    out << ']';
    return out.str();
}

Shape batched(int64_t batch, const Shape& per_sample) {
    Shape s;
    s.ndim = per_sample.ndim + 1;
    s.dims[0] = batch;
    for (int i = 0; i < per_sample.ndim; ++i) s.dims[i + 1] = per_sample.dims[i];
    return s;
}

Shape checked_shape(int ndim, const int64_t* dims, int max_ndim, int64_t max_numel, const char* what) {
    if (ndim < 1 || ndim > max_ndim)
        fail(JNAS_ERR_INVALID_ARGUMENT, what, " has ", ndim, " dims; 1 to ", max_ndim, " are allowed");
    if (dims == nullptr) fail(JNAS_ERR_INVALID_ARGUMENT, what, " is NULL");
    Shape s;
    s.ndim = ndim;
    int64_t numel = 1;
    for (int i = 0; i < ndim; ++i) {
        if (dims[i] < 1) fail(JNAS_ERR_INVALID_ARGUMENT, what, "[", i, "] = ", dims[i], "; every dim must be >= 1");
        if (dims[i] > max_numel / numel)
            fail(JNAS_ERR_INVALID_ARGUMENT, what, " has more than ", max_numel, " elements");
        numel *= dims[i];
        s.dims[i] = dims[i];
    }
    return s;
}

}  // namespace jnas
