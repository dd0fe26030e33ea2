package dev.jnas.store;

import dev.jnas.search.tenas.Candidate;
import dev.jnas.search.tenas.OpMask;
import dev.jnas.search.tenas.RankedCandidate;
import dev.jnas.search.tenas.RoundCheckpoints;
import dev.jnas.search.tenas.RoundResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The finished rounds of one pruning search in the store: a round and its ranking table are written in one
 * transaction, so a search killed at any moment resumes after its last whole round. Deltas that are NaN are
 * stored as NULL (SQLite's REAL has no NaN) and read back as NaN.
 */
public final class SearchRounds implements RoundCheckpoints {
    static final List<String> SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS search_rounds (
              search TEXT NOT NULL,
              round INTEGER NOT NULL,
              scope TEXT NOT NULL,
              base_kappa REAL,
              base_regions REAL,
              flags INTEGER NOT NULL,
              seconds REAL NOT NULL,
              kappa_seconds REAL NOT NULL,
              region_seconds REAL NOT NULL,
              mask_after TEXT NOT NULL,
              finished_at TEXT NOT NULL,
              PRIMARY KEY (search, round))""", """
            CREATE TABLE IF NOT EXISTS search_candidates (
              search TEXT NOT NULL,
              round INTEGER NOT NULL,
              position INTEGER NOT NULL,
              cell_type INTEGER NOT NULL,
              edge INTEGER NOT NULL,
              op INTEGER NOT NULL,
              delta_kappa REAL,
              delta_regions REAL,
              rank_kappa INTEGER NOT NULL,
              rank_regions INTEGER NOT NULL,
              pruned INTEGER NOT NULL,
              PRIMARY KEY (search, round, position))""");

    private final Connection connection;
    private final Path file;
    private final String search;

    SearchRounds(Connection connection, Path file, String search) {
        this.connection = connection;
        this.file = file;
        this.search = search;
    }

    @Override
    public List<RoundResult> finished() {
        List<RoundResult> rounds = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT round, scope, base_kappa, base_regions,"
                + " flags, seconds, kappa_seconds, region_seconds, mask_after FROM search_rounds WHERE search = ? ORDER BY round")) {
            query.setString(1, search);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    int round = row.getInt("round");
                    rounds.add(new RoundResult(round, row.getString("scope"), ranking(round),
                            SqlReals.get(row, "base_kappa"), SqlReals.get(row, "base_regions"), row.getInt("flags"),
                            row.getDouble("seconds"), row.getDouble("kappa_seconds"),
                            row.getDouble("region_seconds"), OpMask.decode(row.getString("mask_after"))));
                }
            }
            connection.commit();
            return rounds;
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("cannot read the search rounds in store " + file + ": " + e.getMessage(), e);
        }
    }

    private List<RankedCandidate> ranking(int round) throws SQLException {
        List<RankedCandidate> ranking = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT cell_type, edge, op, delta_kappa,"
                + " delta_regions, rank_kappa, rank_regions, pruned FROM search_candidates"
                + " WHERE search = ? AND round = ? ORDER BY position")) {
            query.setString(1, search);
            query.setInt(2, round);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    ranking.add(new RankedCandidate(new Candidate(row.getInt("cell_type"), row.getInt("edge"),
                            row.getInt("op")), SqlReals.get(row, "delta_kappa"), SqlReals.get(row, "delta_regions"),
                            row.getInt("rank_kappa"), row.getInt("rank_regions"), row.getInt("pruned") != 0));
                }
            }
        }
        return ranking;
    }

    @Override
    public void save(RoundResult round) {
        try (PreparedStatement insertRound = connection.prepareStatement("INSERT OR REPLACE INTO search_rounds"
                + " (search, round, scope, base_kappa, base_regions, flags, seconds, kappa_seconds, region_seconds,"
                + " mask_after, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement insertCandidate = connection.prepareStatement("INSERT OR REPLACE INTO"
                     + " search_candidates (search, round, position, cell_type, edge, op, delta_kappa, delta_regions,"
                     + " rank_kappa, rank_regions, pruned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insertRound.setString(1, search);
            insertRound.setInt(2, round.round());
            insertRound.setString(3, round.scope());
            SqlReals.set(insertRound, 4, round.baseKappa());
            SqlReals.set(insertRound, 5, round.baseRegions());
            insertRound.setInt(6, round.flags());
            insertRound.setDouble(7, round.seconds());
            insertRound.setDouble(8, round.kappaSeconds());
            insertRound.setDouble(9, round.regionSeconds());
            insertRound.setString(10, round.maskAfter().encode());
            insertRound.setString(11, Instant.now().toString());
            insertRound.executeUpdate();
            int position = 0;
            for (RankedCandidate c : round.ranking()) {
                insertCandidate.setString(1, search);
                insertCandidate.setInt(2, round.round());
                insertCandidate.setInt(3, position++);
                insertCandidate.setInt(4, c.candidate().cellType());
                insertCandidate.setInt(5, c.candidate().edge());
                insertCandidate.setInt(6, c.candidate().op());
                SqlReals.set(insertCandidate, 7, c.deltaKappa());
                SqlReals.set(insertCandidate, 8, c.deltaRegions());
                insertCandidate.setInt(9, c.rankKappa());
                insertCandidate.setInt(10, c.rankRegions());
                insertCandidate.setInt(11, c.pruned() ? 1 : 0);
                insertCandidate.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the write's own error is the one worth reporting
            }
            throw new StoreException("cannot write a search round to store " + file + ": " + e.getMessage(), e);
        }
    }
}
