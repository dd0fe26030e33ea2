package dev.jnas.search.sgnas;

import dev.jnas.data.DataException;

/**
 * Reads JSON of a shape known in advance, token by token in the order the caller expects (member names
 * included), which is all SGNAS's own files need. Anything else is an error naming the source and the
 * character offset. Strings may not contain escapes.
 */
final class JsonCursor {
    private final String text;
    private final String source;
    private int position;

    JsonCursor(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Skips whitespace, then requires c. */
    void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Skips whitespace and consumes c if it comes next. */
    boolean consume(char c) {
        skipWhitespace();
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    /** Requires the member name name and its colon. */
    void expectName(String name) {
        int start = position;
        String found = string();
        if (!found.equals(name)) {
            position = start;
            throw error("expected the member \"" + name + "\" but found \"" + found + "\"");
        }
        expect(':');
    }

    String string() {
        expect('"');
        int start = position;
        while (position < text.length() && text.charAt(position) != '"') {
            if (text.charAt(position) == '\\') {
                throw error("escapes in strings are not supported");
            }
            position++;
        }
        if (position == text.length()) {
            throw error("unterminated string");
        }
        return text.substring(start, position++);
    }

    /** A finite JSON number. */
    double number() {
        skipWhitespace();
        int start = position;
        while (position < text.length() && "+-.0123456789eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String token = text.substring(start, position);
        try {
            double value = Double.parseDouble(token);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            position = start;
            throw error("expected a finite number");
        }
    }

    /** A number that is a whole int. */
    int integer() {
        int start = position;
        double value = number();
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            position = start;
            throw error("expected a whole number, found " + value);
        }
        return (int) value;
    }

    /** Requires that only whitespace remains. */
    void end() {
        skipWhitespace();
        if (position < text.length()) {
            throw error("unexpected content after the end");
        }
    }

    /** A DataException naming the source, what went wrong and the current character offset. */
    DataException error(String problem) {
        skipWhitespace();
        return new DataException(source + ": " + problem + " at character " + position
                + (position < text.length() ? "" : " (the end of the file)"));
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }
}
