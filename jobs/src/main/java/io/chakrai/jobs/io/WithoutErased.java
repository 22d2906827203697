package io.chakrai.jobs.io;

import io.chakrai.models.storage.Erasure;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sink's guard that drops the rows of erased people, so nothing of a person erased while their
 * data was on its way (on Kafka, in a job's state or batch) is stored again, nor sent to dead
 * letters when the database refuses it for their missing user: under the erasure lock (shared), one
 * primary-key lookup of the batch's people in {@code erased_users}; see {@link Erasure}.
 */
public final class WithoutErased {
    private WithoutErased() {}

    /** Whose a row is. */
    @FunctionalInterface
    public interface Person<T> extends Serializable {
        int of(T row);
    }

    public static <T> ResilientJdbcSink.Guard<T> of(Person<T> person) {
        return (c, rows) -> admit(c, rows, person);
    }

    static <T> List<T> admit(Connection c, List<T> rows, Person<T> person) throws SQLException {
        try (PreparedStatement lock =
                c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, Erasure.LOCK_KEY);
            lock.execute();
        }
        Set<Integer> people = new HashSet<>();
        rows.forEach(r -> people.add(person.of(r)));
        Set<Integer> erased = new HashSet<>();
        try (PreparedStatement q =
                c.prepareStatement("SELECT user_id FROM erased_users WHERE user_id = ANY (?)")) {
            q.setArray(1, c.createArrayOf("integer", people.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    erased.add(rs.getInt(1));
                }
            }
        }
        return erased.isEmpty()
                ? rows
                : rows.stream().filter(r -> !erased.contains(person.of(r))).toList();
    }
}
