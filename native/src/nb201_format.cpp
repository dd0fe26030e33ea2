// nb201_format.cpp — NB201 architecture strings: one group per node 1..3 joined by '+', each listing the node's
// incoming edges in source order as "op~source" between '|'. Strict, with java-core's messages and offsets.
#include <string>
#include <vector>

#include "error.hpp"
#include "nb201.hpp"

namespace jnas::nb201 {
namespace {

constexpr char kNodeSeparator = '+';
constexpr char kEdgeDelimiter = '|';
constexpr char kSourceMark = '~';

struct OpName {
    Op op;
    const char* name;
};
constexpr OpName kOpNames[] = {{Op::None, "none"},
                               {Op::SkipConnect, "skip_connect"},
                               {Op::NorConv1x1, "nor_conv_1x1"},
                               {Op::NorConv3x3, "nor_conv_3x3"},
                               {Op::AvgPool3x3, "avg_pool_3x3"}};
constexpr const char* kKnownOps = "none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3";

// Characters [start, end) of the string being parsed.
struct Span {
    size_t start, end;
    size_t length() const { return end - start; }
};

template <typename... Parts>
[[noreturn]] void bad(const std::string& text, const Parts&... problem) {
    fail(JNAS_ERR_INVALID_ARGUMENT, "bad NB201 architecture '", text, "': ", problem...);
}

// The pieces of text[start, end) between separators, empty ones included.
std::vector<Span> split(const std::string& text, size_t start, size_t end, char separator) {
    std::vector<Span> spans;
    size_t piece = start;
    for (size_t i = start; i <= end; ++i) {
        if (i == end || text[i] == separator) {
            spans.push_back({piece, i});
            piece = i + 1;
        }
    }
    return spans;
}

// One edge, "op~source", which must come from the node its position says.
Op parse_edge(const std::string& text, int target, int source, Span edge) {
    std::string token = text.substr(edge.start, edge.length());
    size_t mark = token.rfind(kSourceMark);
    if (mark == std::string::npos)
        bad(text, "edge '", token, "' at offset ", edge.start, " (node ", target, ") has no '", kSourceMark,
            "source'; expected 'op", kSourceMark, source, "'");
    std::string name = token.substr(0, mark);
    const OpName* found = nullptr;
    for (const OpName& known : kOpNames)
        if (name == known.name) found = &known;
    if (!found)
        bad(text, "unknown op '", name, "' at offset ", edge.start, " (node ", target, ", edge from node ", source,
            "); known ops: ", kKnownOps);
    std::string written = token.substr(mark + 1);
    if (written != std::to_string(source))
        bad(text, "edge ", source, " of node ", target, " at offset ", edge.start, " says '", kSourceMark, written,
            "' but must come from node ", source, " ('", kSourceMark, source, "'): node ", target,
            " lists its edges from nodes 0..", target - 1, " in order");
    return found->op;
}

// One node's group, e.g. "|nor_conv_3x3~0|avg_pool_3x3~1|" for node 2.
void parse_node(const std::string& text, int target, Span group, Architecture& arch) {
    if (group.length() == 0 || text[group.start] != kEdgeDelimiter)
        bad(text, "expected '", kEdgeDelimiter, "' at offset ", group.start, " to open node ", target, "'s edges");
    if (group.length() < 2 || text[group.end - 1] != kEdgeDelimiter) {
        size_t closing = group.end - 1 > group.start + 1 ? group.end - 1 : group.start + 1;
        bad(text, "expected '", kEdgeDelimiter, "' at offset ", closing, " to close node ", target, "'s edges");
    }
    std::vector<Span> edges = split(text, group.start + 1, group.end - 1, kEdgeDelimiter);
    if (int(edges.size()) != target)
        bad(text, "node ", target, " (offset ", group.start, ") has ", edges.size(), " edge(s) but needs ", target,
            ", one from each of nodes 0..", target - 1);
    for (int source = 0; source < target; ++source)
        arch[edge_index(target, source)] = parse_edge(text, target, source, edges[source]);
}

}  // namespace

Architecture parse(const char* text) {
    if (text == nullptr || *text == '\0') fail(JNAS_ERR_INVALID_ARGUMENT, "the NB201 architecture string is empty");
    std::string s(text);
    std::vector<Span> groups = split(s, 0, s.size(), kNodeSeparator);
    if (groups.size() != kNodes - 1)
        bad(s, "found ", groups.size(), " node group(s) separated by '", kNodeSeparator, "' but an NB201 cell has ",
            kNodes - 1, " (nodes 1 to ", kNodes - 1, ")");
    Architecture arch{};
    for (int target = 1; target < kNodes; ++target) parse_node(s, target, groups[target - 1], arch);
    return arch;
}

}  // namespace jnas::nb201
