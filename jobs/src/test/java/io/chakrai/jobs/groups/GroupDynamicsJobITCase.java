package io.chakrai.jobs.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.JobStack;
import io.chakrai.jobs.config.GroupOptions;
import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.RawRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The group-dynamics graph on a MiniCluster with bounded input (change events as the CDC service
 * writes them, each delivered twice, one unreadable), writing to a real PostgreSQL.
 */
class GroupDynamicsJobITCase {
    static JobStack stack;
    static final ConcurrentLinkedQueue<DeadLetter> DEAD = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        stack = new JobStack("chakrai_group_job_test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** Inserts a message row (so escalations can refer to it) and returns its change event. */
    static RawRecord message(
            int group, int participant, String text, double sentiment, Instant at, boolean held)
            throws Exception {
        long id =
                stack.insertReturningId(
                        String.format(
                                Locale.ROOT,
                                "INSERT INTO group_messages (group_id, participant_id, message_type, "
                                        + "content, sentiment, emotional_intensity, \"timestamp\", status) VALUES (%d, %d, 'text', '%s', %.2f, %d, '%s', '%s') "
                                        + "RETURNING id",
                                group,
                                participant,
                                text,
                                sentiment,
                                1 + (int) Math.round(9 * Math.abs(sentiment)),
                                at,
                                held ? "held" : "visible"));
        String json =
                String.format(
                        Locale.ROOT,
                        "{\"before\":null,\"after\":{\"id\":%d,\"group_id\":%d,\"participant_id\":%d,"
                                + "\"message_type\":\"text\",\"content\":\"%s\",\"sentiment\":%.2f,\"emotional_intensity\":%d,\"timestamp\":\"%s\","
                                + "\"removed_at\":null,\"status\":\"%s\"},\"source\":{\"lsn\":%d},\"op\":\"c\"}",
                        id,
                        group,
                        participant,
                        text,
                        sentiment,
                        1 + (int) Math.round(9 * Math.abs(sentiment)),
                        at,
                        held ? "held" : "visible",
                        id);
        return new RawRecord(
                "cdc.public.group_messages", 0, id, "{\"id\":" + id + "}", json, at.toEpochMilli());
    }

    @Test
    void moodWindowsEngagementAndBothPatternsFromTheChangeStream() throws Exception {
        int user =
                stack.insertReturningId(
                        "INSERT INTO users (email, password_hash) VALUES ('g@example.org', 'x') RETURNING id");
        int group =
                stack.insertReturningId(
                        "INSERT INTO therapy_groups (group_key, session_type) VALUES ('job', 'grief_support') RETURNING id");
        int[] p = new int[3];
        for (int i = 0; i < 3; i++) {
            p[i] =
                    stack.insertReturningId(
                            "INSERT INTO group_participants (group_id, user_id, anonymous_id) VALUES ("
                                    + group
                                    + ", "
                                    + (i == 0 ? Integer.toString(user) : "NULL")
                                    + ", 'Member "
                                    + i
                                    + "') RETURNING id");
        }
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        List<RawRecord> records = new ArrayList<>();
        // window 1 (10:00–10:05): a warm start
        records.add(message(group, p[0], "hello all", 0.6, t0.plusSeconds(10), false));
        records.add(message(group, p[1], "hi, glad to be here", 0.4, t0.plusSeconds(40), false));
        records.add(message(group, p[2], "hey", 0.2, t0.plusSeconds(70), false));
        // window 2 (10:05–10:10): member 0 declines message after message, the group follows into a
        // spiral
        records.add(message(group, p[0], "a bit tired", 0.1, t0.plusSeconds(310), false));
        records.add(message(group, p[0], "actually pretty down", -0.4, t0.plusSeconds(330), false));
        records.add(
                message(group, p[0], "everything feels awful", -0.7, t0.plusSeconds(350), false));
        records.add(
                message(group, p[1], "same here, awful week", -0.5, t0.plusSeconds(370), false));
        records.add(message(group, p[2], "I hate all of it", -0.6, t0.plusSeconds(390), false));
        records.add(
                message(group, p[1], "nothing is going right", -0.45, t0.plusSeconds(395), false));
        // a held message (crisis language) is not part of the group's mood
        records.add(message(group, p[2], "held text", -0.9, t0.plusSeconds(400), true));
        // window 3 (10:10–10:15)
        records.add(message(group, p[1], "thanks for listening", 0.5, t0.plusSeconds(620), false));
        List<RawRecord> twice = new ArrayList<>(records);
        twice.addAll(records);
        twice.add(
                new RawRecord(
                        "cdc.public.group_messages",
                        0,
                        999,
                        null,
                        "{\"op\":\"c\",\"after\":{\"id\":\"x\"}}",
                        t0.toEpochMilli()));

        GroupOptions o = new GroupOptions();
        new CommandLine(o)
                .parseArgs(
                        "--db-url",
                        stack.pg.jdbcUrl(),
                        "--db-user",
                        stack.pg.user(),
                        "--kafka-bootstrap",
                        stack.kafka.bootstrapServers(),
                        "--max-out-of-orderness-s",
                        "5",
                        "--idleness-s",
                        "5");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        GroupGraph.Sinks real = GroupGraph.Sinks.of(o);
        GroupGraph.attach(
                env.fromData(twice),
                o,
                new GroupGraph.Sinks(real.mood(), real.engagement(), real.alerts(), new Collect()));
        env.execute("group dynamics test");

        List<String> windows = new ArrayList<>();
        try (Connection c = stack.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT window_start, messages, participants, mean_sentiment, negative_share FROM group_mood WHERE group_id = "
                                        + group
                                        + " ORDER BY window_start")) {
            while (rs.next()) {
                windows.add(
                        String.format(
                                Locale.ROOT,
                                "%s %d %d %.3f %.2f",
                                rs.getTimestamp(1).toInstant(),
                                rs.getInt(2),
                                rs.getInt(3),
                                rs.getDouble(4),
                                rs.getDouble(5)));
            }
        }
        assertEquals(
                List.of(
                        "2026-11-30T10:00:00Z 3 3 0.400 0.00",
                        "2026-11-30T10:05:00Z 6 3 -0.425 0.83",
                        "2026-11-30T10:10:00Z 1 1 0.500 0.00"),
                windows,
                "each message once, the held one left out");

        assertEquals(
                1,
                stack.count(
                        "SELECT count(*) FROM crisis_escalations WHERE kind = 'member_decline' AND participant_id = "
                                + p[0]));
        assertEquals(
                1,
                stack.count(
                        "SELECT count(*) FROM crisis_escalations WHERE kind = 'group_spiral' AND group_id = "
                                + group
                                + " AND participant_id IS NULL AND source = 'group-dynamics-job'"));
        assertEquals(
                0,
                stack.count("SELECT count(*) FROM crisis_escalations WHERE user_id IS NOT NULL"),
                "the job knows no user ids");
        double most =
                stack.count(
                                "SELECT round(engagement_level * 100) FROM group_participants WHERE id = "
                                        + p[0])
                        / 100.0;
        double least =
                stack.count(
                                "SELECT round(engagement_level * 100) FROM group_participants WHERE id = "
                                        + p[2])
                        / 100.0;
        assertTrue(most > least && most <= 1 && least > 0, most + " vs " + least);
        assertEquals(1, DEAD.size(), "the unreadable change went to the dead letters");
        assertTrue(DEAD.peek().reason().contains("unreadable"), DEAD.peek().reason());
    }

    /** Collects dead letters in this JVM (the MiniCluster runs here). */
    static final class Collect implements Sink<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<DeadLetter> createWriter(WriterInitContext ctx) {
            return new SinkWriter<>() {
                @Override
                public void write(DeadLetter d, Context c) {
                    DEAD.add(d);
                }

                @Override
                public void flush(boolean end) {}

                @Override
                public void close() {}
            };
        }
    }
}
