package dev.jnas.space.bayescell;

/**
 * Where one switch lives in a compiled supernet: element index of the free parameter called parameter
 * ("switch.cell3.in0_1.origin" index 0, or "switch.cell3.in0_1.ops" index op.ordinal()).
 */
public record SwitchSlot(String parameter, int index) {
}
