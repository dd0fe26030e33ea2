package dev.jnas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One table of a store file as the crash tests read it, with plain SQL beside whatever process writes the file:
 * every row by its primary key, and the columns that hold wall time (which differ between two runs of the same
 * work, so results are compared without them).
 */
record StoreTable(String name, List<String> key, Set<String> wallTime) {
    static final StoreTable EVALUATIONS = new StoreTable("evaluations",
            List.of("space", "architecture", "settings", "seed"), Set.of("seconds", "finished_at"));
    static final StoreTable SEARCH_ROUNDS = new StoreTable("search_rounds", List.of("search", "round"),
            Set.of("seconds", "kappa_seconds", "region_seconds", "finished_at"));
    static final StoreTable SEARCH_CANDIDATES = new StoreTable("search_candidates",
            List.of("search", "round", "position"), Set.of());
    static final StoreTable ALPHANAS_INDIVIDUALS = new StoreTable("alphanas_individuals",
            List.of("run", "generation"), Set.of("seconds", "finished_at"));

    /**
     * Every row, by its key columns joined with '|', each row's columns by name; empty while the file or the
     * table does not exist yet. Also checks that no key occurs twice.
     */
    Map<String, Map<String, Object>> rows(Path store) {
        if (!Files.exists(store)) {
            return Map.of();
        }
        try (Connection connection = open(store); Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'")) {
                if (!exists.next()) {
                    return Map.of();
                }
            }
            Map<String, Map<String, Object>> rows = new TreeMap<>();
            try (ResultSet row = statement.executeQuery("SELECT * FROM " + name)) {
                ResultSetMetaData columns = row.getMetaData();
                while (row.next()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int c = 1; c <= columns.getColumnCount(); c++) {
                        values.put(columns.getColumnName(c), row.getObject(c));
                    }
                    String id = String.join("|", key.stream().map(k -> String.valueOf(values.get(k))).toList());
                    if (rows.put(id, values) != null) {
                        throw new AssertionError(name + " holds key " + id + " twice in " + store);
                    }
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("cannot read " + name + " of " + store + ": " + e.getMessage(), e);
        }
    }

    /** The rows without their wall-time columns: what two runs of the same work must agree on. */
    Map<String, Map<String, Object>> results(Path store) {
        Map<String, Map<String, Object>> results = new TreeMap<>();
        rows(store).forEach((id, row) -> {
            Map<String, Object> kept = new LinkedHashMap<>(row);
            kept.keySet().removeAll(wallTime);
            results.put(id, kept);
        });
        return results;
    }

    /** The file's journal mode, e.g. "wal". */
    static String journalMode(Path store) {
        return pragma(store, "journal_mode");
    }

    /** SQLite's integrity check: "ok" for a consistent file. */
    static String integrity(Path store) {
        return pragma(store, "integrity_check");
    }

    /** Runs statements on the file in one transaction, e.g. to install a trigger before a child opens it. */
    static void execute(Path store, String... statements) {
        try (Connection connection = open(store); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new AssertionError("cannot change " + store + ": " + e.getMessage(), e);
        }
    }

    private static String pragma(Path store, String name) {
        try (Connection connection = open(store); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot read PRAGMA " + name + " of " + store + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(Path store) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
        }
        return connection;
    }
}
