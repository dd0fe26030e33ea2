// graph.cpp — node lookup, naming and appending; the per-op shape rules live in ops/.
#include "graph.hpp"

#include "error.hpp"

namespace jnas {

const char* op_name(OpKind kind) {
    switch (kind) {
#define JNAS_OP_NAME(kind, name) \
    case OpKind::kind: return name;
        JNAS_OP_LIST(JNAS_OP_NAME)
#undef JNAS_OP_NAME
    }
    return "unknown op";
}

const Node& Graph::existing(int id) const {
    if (id < 0 || id >= size()) fail(JNAS_ERR_INVALID_ARGUMENT, "node ", id, " does not exist (graph has ", size(), " nodes)");
    return nodes_[id];
}

const Node& Graph::batched_input(int id) const {
    const Node& n = existing(id);
    if (!n.batched)
        fail(JNAS_ERR_INVALID_ARGUMENT, "node ", id, " is the parameter '", n.name,
             "', which only a mixed edge (as its weights) or a mul (as its gate) can take");
    return n;
}

std::string Graph::new_name(const char* name) const {
    if (name == nullptr) fail(JNAS_ERR_INVALID_ARGUMENT, "name is NULL");
    std::string s(name);
    if (s.empty()) fail(JNAS_ERR_INVALID_ARGUMENT, "name is empty");
    if (names_.count(s)) fail(JNAS_ERR_INVALID_ARGUMENT, "name '", s, "' is already used in this graph");
    return s;
}

int Graph::append(Node node) {
    std::set<std::string> added;
    if (!node.name.empty()) added.insert(node.name);
    for (const ParamSpec& p : node.params) {
        // A free parameter is named like its node; others add a suffix that may clash with another name.
        if (p.name != node.name && (names_.count(p.name) || !added.insert(p.name).second))
            fail(JNAS_ERR_INVALID_ARGUMENT, "parameter name '", p.name, "' is already used in this graph");
    }
    node.first_param = param_count_;
    param_count_ += int(node.params.size());
    names_.insert(added.begin(), added.end());
    nodes_.push_back(std::move(node));
    return size() - 1;
}

}  // namespace jnas
