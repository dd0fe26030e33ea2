// op_table.cpp — OpKind -> OpDef, generated from the one op list.
#include "ops/op.hpp"

namespace jnas {

const OpDef& op_def(OpKind kind) {
    switch (kind) {
#define JNAS_OP_CASE(kind, name) \
    case OpKind::kind: return k##kind##Op;
        JNAS_OP_LIST(JNAS_OP_CASE)
#undef JNAS_OP_CASE
    }
    return kInputOp;  // unreachable: the switch covers every OpKind
}

}  // namespace jnas
