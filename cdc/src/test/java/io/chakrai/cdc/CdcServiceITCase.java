package io.chakrai.cdc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.models.Topics;
import io.chakrai.models.groups.GroupChanges;
import io.chakrai.sql.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Debezium on a real PostgreSQL (pgoutput) into a real Kafka broker: the events' shape, and no loss
 * across a restart.
 */
class CdcServiceITCase {
    static EmbeddedPostgres pg;
    static EmbeddedKafka kafka;
    static Path offsets;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start(null, 0, "chakrai_cdc_test");
        kafka = EmbeddedKafka.start(null, 0, 0, 1);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.user());
        Migrations.apply(ds);
        offsets = Files.createTempDirectory("cdc-offsets").resolve("offsets.dat");
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        pg.close();
    }

    static CdcService.Settings settings() {
        return new CdcService.Settings(
                "localhost",
                pg.port(),
                pg.database(),
                pg.user(),
                "",
                kafka.bootstrapServers(),
                offsets,
                2,
                (short) 1,
                20);
    }

    static void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(Topics.GROUP_MESSAGES, Topics.GROUP_PARTICIPANTS));
        return c;
    }

    @Test
    void changesArriveKeyedByPrimaryKeyInTheContractsShapeAndNoneIsLostAcrossARestart()
            throws Exception {
        sql(
                "INSERT INTO users (email, password_hash) VALUES ('cdc@example.org', 'x')",
                "INSERT INTO therapy_groups (group_key, session_type) VALUES ('g-cdc', 'grief_support')",
                "INSERT INTO group_participants (group_id, user_id, anonymous_id) SELECT g.id, u.id, 'Calm Heron 42' "
                        + "FROM therapy_groups g, users u WHERE g.group_key = 'g-cdc' AND u.email = 'cdc@example.org'");
        Set<Long> ids = new TreeSet<>();
        List<GroupChanges.Message> messages = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            try (CdcService cdc = CdcService.start(settings())) {
                cdc.awaitStreaming(Duration.ofSeconds(60));
                sql(
                        "INSERT INTO group_messages (group_id, participant_id, message_type, content, sentiment, emotional_intensity) "
                                + "SELECT group_id, id, 'text', 'first message', 0.44, 5 FROM group_participants WHERE anonymous_id = 'Calm Heron 42'");
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    collect(consumer, ids, messages, keys);
                                    return ids.size() >= 1;
                                });
                CdcService.Slot slot = CdcService.slot(pg.jdbcUrl(), pg.user(), "");
                assertTrue(slot.exists() && slot.active(), slot.toString());
            }
            GroupChanges.Message first = messages.get(0);
            assertEquals("first message", first.content());
            assertEquals(0.44, first.sentiment(), 1e-9);
            assertEquals(5, first.intensity());
            assertFalse(first.held());
            assertTrue(
                    keys.get(0).matches("\\{\"id\":\\d+}"), "keyed by primary key: " + keys.get(0));

            // written while the service is down: the slot keeps the WAL, the offsets say where it
            // stopped
            assertFalse(CdcService.slot(pg.jdbcUrl(), pg.user(), "").active());
            sql(
                    "INSERT INTO group_messages (group_id, participant_id, message_type, content, sentiment, emotional_intensity, status) "
                            + "SELECT group_id, id, 'text', 'while down ' || n, -0.2, 3, CASE WHEN n = 7 THEN 'held' ELSE 'visible' END "
                            + "FROM group_participants, generate_series(1, 50) n WHERE anonymous_id = 'Calm Heron 42'");
            try (CdcService cdc = CdcService.start(settings())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    collect(consumer, ids, messages, keys);
                                    return ids.size() >= 51;
                                });
                assertTrue(cdc.events() >= 50, "resumed: " + cdc.events());
            }
        }
        assertEquals(51, ids.size(), "every message exactly once after deduplication by id");
        assertEquals(1, messages.stream().filter(GroupChanges.Message::held).count());
        assertTrue(
                messages.stream()
                                .filter(
                                        m ->
                                                m.content() != null
                                                        && m.content().startsWith("while down"))
                                .count()
                        >= 50);
    }

    /**
     * A job keeps state per person from a published table and must forget it when the person is
     * erased, so the delete events of every published table whose rows each belong to one person
     * (an {@code id} and a NOT NULL {@code user_id}; {@code erased_users}, keyed by the person and
     * never deleted, is not one) carry that person — and nothing else of the row: the replica
     * identity is a unique index on (id, user_id), never the whole row (a deleted message's text
     * would be published once more) and never the primary key alone (no person).
     */
    @Test
    void deleteEventsOfAPersonsRowsCarryThePersonAndNothingElse() throws Exception {
        String q =
                "SELECT c.relname, c.relreplident, (SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_index i "
                        + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                        + "WHERE i.indrelid = c.oid AND i.indisreplident) FROM pg_class c JOIN pg_attribute u ON u.attrelid = c.oid "
                        + "AND u.attname = 'user_id' AND u.attnotnull WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' "
                        + "AND c.relname = ANY (?) AND c.relname <> 'erased_users'";
        List<String> checked = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                java.sql.PreparedStatement ps = c.prepareStatement(q)) {
            ps.setArray(1, c.createArrayOf("text", CdcService.TABLES.toArray()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checked.add(rs.getString(1));
                    assertEquals(
                            "i", rs.getString(2), rs.getString(1) + ": replica identity by index");
                    assertEquals(
                            "id,user_id",
                            rs.getString(3),
                            rs.getString(1) + ": the index's columns");
                }
            }
        }
        assertTrue(
                checked.containsAll(List.of("content_usage_tracking", "stress_answers")),
                "checked: " + checked);
    }

    static void collect(
            KafkaConsumer<String, String> consumer,
            Set<Long> ids,
            List<GroupChanges.Message> messages,
            List<String> keys)
            throws Exception {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            if (!r.topic().equals(Topics.GROUP_MESSAGES)) {
                continue;
            }
            var change = GroupChanges.parse(r.value()).orElseThrow();
            GroupChanges.Message m = GroupChanges.message(change.row());
            if (ids.add(m.id())) {
                if (messages.isEmpty()) {
                    System.out.println("first change event: " + r.value());
                }
                messages.add(m);
                keys.add(r.key());
            }
        }
    }

    static long slotLagBytes() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                Statement s = c.createStatement();
                java.sql.ResultSet rs =
                        s.executeQuery(
                                "SELECT pg_current_wal_lsn() - confirmed_flush_lsn FROM pg_replication_slots "
                                        + "WHERE slot_name = '"
                                        + CdcService.SLOT
                                        + "'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    @Test
    void theSlotFollowsTheWalWhileOnlyUnpublishedTablesWriteSoItHoldsNoBacklog() throws Exception {
        try (CdcService cdc = CdcService.start(settings())) {
            cdc.awaitStreaming(Duration.ofSeconds(60));
            // tens of MB of WAL from a table nobody captures, as the readings write all day; the
            // published tables quiet
            sql(
                    "CREATE TABLE IF NOT EXISTS wal_noise (x TEXT)",
                    "INSERT INTO wal_noise SELECT repeat(md5(g::text), 30) FROM generate_series(1, 40000) g");
            assertTrue(slotLagBytes() > 20_000_000, "the noise is WAL: " + slotLagBytes());
            // the heartbeat moves the slot past it within a few beats
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> slotLagBytes() < 1_000_000);
            assertEquals(null, cdc.failure());
        }
    }
}
