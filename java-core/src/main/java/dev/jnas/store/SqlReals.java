package dev.jnas.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Metric columns: NaN (a metric that was not measured, or not finite) is stored as SQL NULL and read back as NaN. */
final class SqlReals {
    private SqlReals() {
    }

    static void set(PreparedStatement statement, int column, double value) throws SQLException {
        if (Double.isNaN(value)) {
            statement.setNull(column, Types.REAL);
        } else {
            statement.setDouble(column, value);
        }
    }

    static double get(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? Double.NaN : value;
    }
}
