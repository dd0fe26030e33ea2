package dev.jnas.store;

import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.Score;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finished evaluations in an embedded SQLite file, keyed by {@link EvaluationKey}, the finished rounds of
 * searches ({@link SearchRounds}) and the individuals of αNAS runs ({@link AlphanasIndividuals}). Each
 * {@link #put} is its own committed transaction in WAL mode, so a process killed at any moment leaves every
 * earlier evaluation stored and the file consistent; a rerun reads them back instead of recomputing.
 *
 * <p>SQLite stores a NaN REAL as NULL, so the row also lists the metrics that were computed: a listed metric
 * whose column is NULL reads back as NaN, an unlisted one as absent. Infinities are stored as they are.
 */
public final class EvaluationStore implements AutoCloseable {
    public static final Path DEFAULT_FILE = Path.of(System.getProperty("user.home"), ".jnas", "store.sqlite");
    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS evaluations (
              space TEXT NOT NULL,
              architecture TEXT NOT NULL,
              settings TEXT NOT NULL,
              seed INTEGER NOT NULL,
              metrics TEXT NOT NULL,
              ntk_cond REAL,
              linear_regions REAL,
              naswot REAL,
              flags INTEGER NOT NULL,
              seconds REAL NOT NULL,
              backend TEXT NOT NULL,
              finished_at TEXT NOT NULL,
              PRIMARY KEY (space, architecture, settings, seed))""";
    private static final String VALUE_COLUMNS = "metrics, ntk_cond, linear_regions, naswot, flags, seconds";

    private final Path file;
    private final Connection connection;

    private EvaluationStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens the store, creating the file, its directory and the table as needed. */
    public static EvaluationStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of store " + absolute + ": " + e.getMessage(), e);
        }
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                statement.execute("PRAGMA journal_mode = WAL");
                // With WAL, NORMAL loses nothing when the process dies (only on power loss), at far fewer fsyncs.
                statement.execute("PRAGMA synchronous = NORMAL");
                statement.execute(SCHEMA);
                for (String table : SearchRounds.SCHEMA) {
                    statement.execute(table);
                }
                statement.execute(AlphanasIndividuals.SCHEMA);
            }
            connection.setAutoCommit(false);
            connection.commit();
            return new EvaluationStore(absolute, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("cannot open store " + absolute + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The checkpointed rounds of one search, keyed by the search's canonical text (method, space, settings, seed). */
    public SearchRounds searchRounds(String search) {
        return new SearchRounds(connection, file, search);
    }

    /** The individuals of one αNAS evolution run, keyed by the run's canonical text (seed model, fitness, seed...). */
    public AlphanasIndividuals alphanasIndividuals(String run) {
        return new AlphanasIndividuals(connection, file, run);
    }

    /** Stores one finished evaluation in its own transaction, replacing an earlier one of the same key. */
    public void put(EvaluationKey key, Score score, String backend) {
        String sql = "INSERT OR REPLACE INTO evaluations (space, architecture, settings, seed, " + VALUE_COLUMNS
                + ", backend, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, key.space());
            insert.setString(2, key.architecture());
            insert.setString(3, key.settings());
            insert.setLong(4, key.seed());
            insert.setString(5, MetricKind.formatList(score.values().keySet()));
            int column = 6;
            for (MetricKind metric : MetricKind.values()) {
                Double value = score.values().get(metric);
                if (value == null) {
                    insert.setNull(column++, Types.REAL);
                } else {
                    insert.setDouble(column++, value);
                }
            }
            insert.setInt(column++, score.flags());
            insert.setDouble(column++, score.seconds());
            insert.setString(column++, backend);
            insert.setString(column, Instant.now().toString());
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot write to store " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<Score> find(EvaluationKey key) {
        String sql = "SELECT " + VALUE_COLUMNS + " FROM evaluations"
                + " WHERE space = ? AND architecture = ? AND settings = ? AND seed = ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, key.space());
            query.setString(2, key.architecture());
            query.setString(3, key.settings());
            query.setLong(4, key.seed());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(score(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + file + ": " + e.getMessage(), e);
        } finally {
            endRead();
        }
    }

    /** Every stored evaluation of one space, settings and seed, by architecture string: one query for a sweep. */
    public Map<String, Score> findAll(String space, String settings, long seed) {
        String sql = "SELECT architecture, " + VALUE_COLUMNS + " FROM evaluations"
                + " WHERE space = ? AND settings = ? AND seed = ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, space);
            query.setString(2, settings);
            query.setLong(3, seed);
            Map<String, Score> scores = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    scores.put(rows.getString("architecture"), score(rows));
                }
            }
            return scores;
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + file + ": " + e.getMessage(), e);
        } finally {
            endRead();
        }
    }

    /** The evaluations of one space, settings and seed: what one sweep (score, correlate) fills. */
    public record Sweep(String space, String settings, long seed, int evaluations) {
    }

    /** Every sweep in the store, ordered by space, settings and seed. */
    public List<Sweep> sweeps() {
        String sql = "SELECT space, settings, seed, COUNT(*) AS evaluations FROM evaluations"
                + " GROUP BY space, settings, seed ORDER BY space, settings, seed";
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<Sweep> sweeps = new ArrayList<>();
            while (rows.next()) {
                sweeps.add(new Sweep(rows.getString("space"), rows.getString("settings"), rows.getLong("seed"),
                        rows.getInt("evaluations")));
            }
            return sweeps;
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + file + ": " + e.getMessage(), e);
        } finally {
            endRead();
        }
    }

    private static Score score(ResultSet row) throws SQLException {
        Set<MetricKind> computed = MetricKind.parseList(row.getString("metrics"));
        Map<MetricKind, Double> values = new EnumMap<>(MetricKind.class);
        for (MetricKind metric : computed) {
            values.put(metric, SqlReals.get(row, metric.columnName()));
        }
        return new Score(values, row.getInt("flags"), row.getDouble("seconds"));
    }

    /** Ends the read transaction that auto-commit off opened, so it does not pin an old WAL snapshot. */
    private void endRead() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + file + ": " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the write's own error is the one worth reporting
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // reporting why the store could not be opened matters more
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close store " + file + ": " + e.getMessage(), e);
        }
    }
}
