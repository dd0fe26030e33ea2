package dev.jnas.store;

import dev.jnas.search.alphanas.evolution.Fitness;
import dev.jnas.search.alphanas.evolution.Individual;
import dev.jnas.search.alphanas.evolution.IndividualLog;
import dev.jnas.space.program.ProgramText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The individuals of one αNAS evolution run in the store, keyed by the run's canonical text and the generation:
 * each is written in its own transaction as soon as it is evaluated, its program as {@link ProgramText}, so a run
 * killed at any moment resumes after its last stored individual. NaN measurements are stored as NULL (SQLite's
 * REAL has no NaN) and read back as NaN.
 */
public final class AlphanasIndividuals implements IndividualLog {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS alphanas_individuals (
              run TEXT NOT NULL,
              generation INTEGER NOT NULL,
              parent INTEGER,
              program TEXT NOT NULL,
              accuracy REAL,
              parameters INTEGER NOT NULL,
              macs INTEGER NOT NULL,
              ntk_cond REAL,
              linear_regions REAL,
              naswot REAL,
              seconds REAL NOT NULL,
              finished_at TEXT NOT NULL,
              PRIMARY KEY (run, generation))""";

    private final Connection connection;
    private final Path file;
    private final String run;

    AlphanasIndividuals(Connection connection, Path file, String run) {
        this.connection = connection;
        this.file = file;
        this.run = run;
    }

    @Override
    public List<Individual> finished() {
        List<Individual> individuals = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT generation, parent, program, accuracy,"
                + " parameters, macs, ntk_cond, linear_regions, naswot, seconds FROM alphanas_individuals"
                + " WHERE run = ? ORDER BY generation")) {
            query.setString(1, run);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    int parent = row.getInt("parent");
                    OptionalInt parentGeneration = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(parent);
                    Fitness fitness = new Fitness(SqlReals.get(row, "accuracy"), row.getLong("parameters"),
                            row.getLong("macs"), SqlReals.get(row, "ntk_cond"), SqlReals.get(row, "linear_regions"),
                            SqlReals.get(row, "naswot"), row.getDouble("seconds"));
                    individuals.add(new Individual(row.getInt("generation"), parentGeneration,
                            ProgramText.parse(row.getString("program")), fitness));
                }
            }
            connection.commit();
            return individuals;
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("cannot read the alphanas individuals of run '" + run + "' in store " + file
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Individual individual) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO alphanas_individuals"
                + " (run, generation, parent, program, accuracy, parameters, macs, ntk_cond, linear_regions, naswot,"
                + " seconds, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Fitness fitness = individual.fitness();
            insert.setString(1, run);
            insert.setInt(2, individual.generation());
            if (individual.parent().isPresent()) {
                insert.setInt(3, individual.parent().getAsInt());
            } else {
                insert.setNull(3, Types.INTEGER);
            }
            insert.setString(4, ProgramText.format(individual.graph()));
            SqlReals.set(insert, 5, fitness.accuracy());
            insert.setLong(6, fitness.parameters());
            insert.setLong(7, fitness.macs());
            SqlReals.set(insert, 8, fitness.ntkCondition());
            SqlReals.set(insert, 9, fitness.linearRegions());
            SqlReals.set(insert, 10, fitness.naswot());
            insert.setDouble(11, fitness.seconds());
            insert.setString(12, Instant.now().toString());
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the write's own error is the one worth reporting
            }
            throw new StoreException("cannot write an alphanas individual to store " + file + ": " + e.getMessage(), e);
        }
    }
}
