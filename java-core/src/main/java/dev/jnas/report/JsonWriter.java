package dev.jnas.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer for result files, indented two spaces. Non-finite numbers, which JSON cannot
 * hold, are written as the strings "NaN", "Infinity" and "-Infinity" so that they are reported, not lost.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Per open container: whether it already has an element (so the next one needs a comma). */
    private final Deque<Boolean> open = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject() {
        return begin('{');
    }

    public JsonWriter endObject() {
        return end('}');
    }

    public JsonWriter beginArray() {
        return begin('[');
    }

    public JsonWriter endArray() {
        return end(']');
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public JsonWriter value(double value) {
        if (!Double.isFinite(value)) {
            return value(Double.toString(value));
        }
        separate();
        out.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value));
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed JSON container");
        }
        return out.toString();
    }

    private JsonWriter begin(char bracket) {
        separate();
        out.append(bracket);
        open.push(false);
        return this;
    }

    private JsonWriter end(char bracket) {
        boolean hadElements = open.pop();
        if (hadElements) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    /** Writes what goes before a value or a name: nothing after a name, else a comma if needed and a newline. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (open.isEmpty()) {
            return;
        }
        if (open.pop()) {
            out.append(',');
        }
        open.push(true);
        newline();
    }

    private void newline() {
        out.append('\n').append("  ".repeat(open.size()));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
