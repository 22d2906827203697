package io.chakrai.lab.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.sql.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Training on the platform's own people reads only those who opted in, and tells each of them. */
class TrainingDataITCase {
    static EmbeddedPostgres pg;
    static PGSimpleDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "chakrai_training_test");
        ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        ds.setUser(pg.user());
        Migrations.apply(ds);
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void onlyConsentingPeopleAreReadAndEachGetsAnAuditEntry() throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String who : List.of("yes", "no", "withdrew", "never")) {
                s.execute(
                        "INSERT INTO users (email, password_hash) VALUES ('"
                                + who
                                + "@x.org', 'x')");
            }
            s.execute(
                    "INSERT INTO consents (user_id, kind, granted) SELECT id, 'model_training', true FROM users "
                            + "WHERE email IN ('yes@x.org', 'withdrew@x.org')");
            s.execute(
                    "INSERT INTO consents (user_id, kind, granted) SELECT id, 'model_training', false FROM users "
                            + "WHERE email IN ('no@x.org')");
            // withdrawn later: the latest choice counts
            s.execute(
                    "INSERT INTO consents (user_id, kind, granted, at) SELECT id, 'model_training', false, now() + interval '1 s' "
                            + "FROM users WHERE email = 'withdrew@x.org'");
            s.execute(
                    "CREATE TABLE windows AS SELECT u.id AS person, (g % 2)::text AS label, 60 + g AS hr "
                            + "FROM users u, generate_series(1, 10) g");

            FeatureTable t =
                    TrainingData.read(
                            c,
                            "SELECT person, label, hr FROM windows",
                            "person",
                            "label",
                            Set.of("1"),
                            Set.of(),
                            "stress_test");
            int yes = id(s, "yes@x.org");
            assertEquals(
                    List.of(Integer.toString(yes)),
                    t.subjectIds(),
                    "only the person who consents now");
            assertEquals(10, t.y().length);
            try (ResultSet rs =
                    s.executeQuery("SELECT user_id, actor, action, why FROM audit_log")) {
                assertTrue(rs.next());
                assertEquals(yes, rs.getInt(1));
                assertEquals("job:train:stress_test", rs.getString(2));
                assertEquals("read", rs.getString(3));
                assertTrue(rs.getString(4).contains("stress_test"));
                assertTrue(!rs.next(), "nobody else's trail");
            }
            // the trail is append-only
            try {
                s.execute("DELETE FROM audit_log");
                throw new AssertionError("audit_log accepted a DELETE");
            } catch (java.sql.SQLException e) {
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
    }

    static int id(Statement s, String email) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT id FROM users WHERE email = '" + email + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
