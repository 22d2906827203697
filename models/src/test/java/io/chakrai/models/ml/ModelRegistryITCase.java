package io.chakrai.models.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.sql.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The registry on a real PostgreSQL with the real migrations. */
class ModelRegistryITCase {
    static EmbeddedPostgres pg;
    static ModelRegistry registry;
    static PGSimpleDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "chakrai_registry_test");
        ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        ds.setUser(pg.user());
        Migrations.apply(ds);
        registry = new ModelRegistry(ds);
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void versionsRoundTripPromoteAndRollBack() throws Exception {
        FeatureTable t = SyntheticTables.synthetic(9);
        TrainedModel a = TrainedModel.train(t, ModelKind.LOGISTIC_REGRESSION, 1);
        TrainedModel b = TrainedModel.train(t, ModelKind.RANDOM_FOREST, 1);
        int v1 = registry.register("stress_test", a, "{\"accuracy\":0.8}", t.dataHash(), "tester");
        int v2 = registry.register("stress_test", b, "{\"accuracy\":0.9}", t.dataHash(), "tester");
        assertEquals(List.of(1, 2), List.of(v1, v2));
        assertArrayEquals(
                b.probabilities(t.x()),
                registry.load("stress_test", 2).probabilities(t.x()),
                0.0,
                "the registered bytes score exactly like the trained model");
        assertEquals(
                List.of("hr", "rmssd", "noise"), registry.list("stress_test").get(1).features());

        assertEquals(Optional.empty(), registry.production("stress_test"));
        registry.promote("stress_test", 1);
        registry.promote("stress_test", 2);
        assertEquals(Optional.of(2), registry.production("stress_test"));
        assertEquals(
                List.of("archived", "production"),
                registry.list("stress_test").stream().map(ModelRegistry.Version::stage).toList());
        assertEquals(1, registry.rollback("stress_test"));
        assertEquals(Optional.of(1), registry.production("stress_test"));
        assertThrows(SQLException.class, () -> registry.promote("stress_test", 7));
        assertEquals(
                Optional.of(1),
                registry.production("stress_test"),
                "a failed promotion changes nothing");
    }

    @Test
    void oneChallengerShadowsAtATimeAndProductionCannotChallengeItself() throws Exception {
        FeatureTable t = SyntheticTables.synthetic(11);
        TrainedModel m = TrainedModel.train(t, ModelKind.LOGISTIC_REGRESSION, 1);
        int v1 = registry.register("shadow_test", m, "{}", t.dataHash(), "tester");
        int v2 = registry.register("shadow_test", m, "{}", t.dataHash(), "tester");
        int v3 = registry.register("shadow_test", m, "{}", t.dataHash(), "tester");
        assertEquals(Optional.empty(), registry.challenger("shadow_test"));
        registry.promote("shadow_test", v1);
        assertThrows(
                SQLException.class,
                () -> registry.challenge("shadow_test", v1),
                "production is not a challenger");
        assertThrows(SQLException.class, () -> registry.challenge("shadow_test", 99));
        registry.challenge("shadow_test", v2);
        assertEquals(Optional.of(v2), registry.challenger("shadow_test"));
        registry.challenge("shadow_test", v3);
        assertEquals(
                Optional.of(v3),
                registry.challenger("shadow_test"),
                "the newer challenger replaces the older");
        assertEquals("candidate", registry.list("shadow_test").get(1).stage());
        registry.promote("shadow_test", v3);
        assertEquals(Optional.of(v3), registry.production("shadow_test"));
        assertEquals(
                Optional.empty(),
                registry.challenger("shadow_test"),
                "promoted, it shadows no more");
        assertFalse(registry.endChallenge("shadow_test"));
    }

    @Test
    void aCorruptedArtifactIsRefused() throws Exception {
        FeatureTable t = SyntheticTables.synthetic(10);
        registry.register(
                "corrupt_test",
                TrainedModel.train(t, ModelKind.LOGISTIC_REGRESSION, 1),
                "{}",
                "x",
                "tester");
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "UPDATE model_versions SET artifact = artifact || '\\x00'::bytea WHERE name = 'corrupt_test'");
        }
        assertThrows(java.io.IOException.class, () -> registry.load("corrupt_test", 1));
    }

    @Test
    void aFeatureTableCanComeFromASqlQuery() throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE windows (person TEXT, stressed BOOLEAN, hr DOUBLE PRECISION, rmssd DOUBLE PRECISION, "
                            + "cort_mean DOUBLE PRECISION, note TEXT)");
            s.execute(
                    "INSERT INTO windows VALUES ('P1', true, 90, 20, 9, 'x'), ('P1', false, 60, NULL, 5, 'y'), "
                            + "('P2', false, 65, 50, 4, 'z')");
            FeatureTable t =
                    FeatureTable.query(
                            c,
                            "SELECT person, stressed::text AS label, hr, rmssd, cort_mean, note "
                                    + "FROM windows ORDER BY person, hr",
                            "person",
                            "label",
                            java.util.Set.of("true"),
                            java.util.Set.of("note"));
            assertEquals(
                    List.of("hr", "rmssd"),
                    t.features(),
                    "cort_* and excluded columns are never features");
            assertArrayEquals(new int[] {0, 1, 0}, t.y());
            assertArrayEquals(new String[] {"P1", "P1", "P2"}, t.subjects());
            assertEquals(Double.NaN, t.x()[0][1], "NULL is missing");
            String before = t.dataHash();
            s.execute("UPDATE windows SET hr = 91 WHERE hr = 90");
            FeatureTable changed =
                    FeatureTable.query(
                            c,
                            "SELECT person, stressed::text AS label, hr, rmssd, cort_mean, note "
                                    + "FROM windows ORDER BY person, hr",
                            "person",
                            "label",
                            java.util.Set.of("true"),
                            java.util.Set.of("note"));
            org.junit.jupiter.api.Assertions.assertNotEquals(
                    before, changed.dataHash(), "changed data, changed hash");
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            FeatureTable.query(
                                    c,
                                    "SELECT hr FROM windows",
                                    "person",
                                    "label",
                                    java.util.Set.of("true"),
                                    java.util.Set.of()));
        }
    }
}
