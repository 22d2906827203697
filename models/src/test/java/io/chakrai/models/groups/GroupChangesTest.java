package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Golden events in the shape the CDC service writes (captured from Debezium 3.6.1 on PostgreSQL 17,
 * pgoutput).
 */
class GroupChangesTest {
    static final String INSERT =
            "{\"before\":null,\"after\":{\"id\":42,\"group_id\":7,\"participant_id\":19,\"message_type\":\"text\","
                    + "\"content\":\"hello all\",\"sentiment\":0.44,\"emotional_intensity\":5,\"timestamp\":\"2026-11-30T11:42:32.123456Z\","
                    + "\"removed_at\":null,\"status\":\"visible\"},\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\","
                    + "\"name\":\"cdc\",\"ts_ms\":1796039560803,\"snapshot\":\"false\",\"db\":\"chakrai\",\"sequence\":\"[null,\\\"29066776\\\"]\","
                    + "\"ts_us\":1796039560803423,\"ts_ns\":1796039560803423000,\"schema\":\"public\",\"table\":\"group_messages\",\"txId\":770,"
                    + "\"lsn\":27265432,\"xmin\":null,\"origin\":null,\"origin_lsn\":null},\"transaction\":null,\"op\":\"c\",\"ts_ms\":1796039561026,"
                    + "\"ts_us\":1796039561026344,\"ts_ns\":1796039561026344472}";

    @Test
    void aNewMessage() throws IOException {
        GroupChanges.Change c = GroupChanges.parse(INSERT).orElseThrow();
        assertTrue(c.isInsert());
        assertEquals(27265432L, c.lsn());
        GroupChanges.Message m = GroupChanges.message(c.row());
        assertEquals(
                new GroupChanges.Message(
                        42,
                        7,
                        19,
                        "text",
                        "hello all",
                        0.44,
                        5,
                        Instant.parse("2026-11-30T11:42:32.123456Z"),
                        false,
                        false),
                m);
    }

    @Test
    void aHeldMessageAndARemovedOne() throws IOException {
        String held = INSERT.replace("\"status\":\"visible\"", "\"status\":\"held\"");
        assertTrue(GroupChanges.message(GroupChanges.parse(held).orElseThrow().row()).held());
        String removed =
                INSERT.replace("\"op\":\"c\"", "\"op\":\"u\"")
                        .replace("\"removed_at\":null", "\"removed_at\":\"2026-12-01T00:00:00Z\"")
                        .replace("\"content\":\"hello all\"", "\"content\":null");
        GroupChanges.Message m =
                GroupChanges.message(GroupChanges.parse(removed).orElseThrow().row());
        assertTrue(m.removed());
        assertEquals(null, m.content());
    }

    @Test
    void aMembershipAndItsEnd() throws IOException {
        String joined =
                "{\"before\":null,\"after\":{\"id\":19,\"group_id\":7,\"user_id\":3,\"anonymous_id\":\"Calm Heron 42\","
                        + "\"left_at\":null},\"op\":\"c\",\"source\":{\"lsn\":1}}";
        assertEquals(
                new GroupChanges.Participant(19, 7, 3, "Calm Heron 42", true),
                GroupChanges.participant(GroupChanges.parse(joined).orElseThrow().row()));
        String left =
                joined.replace("\"left_at\":null", "\"left_at\":\"2026-12-01T00:00:00Z\"")
                        .replace("\"op\":\"c\"", "\"op\":\"u\"");
        assertFalse(
                GroupChanges.participant(GroupChanges.parse(left).orElseThrow().row()).active());
    }

    @Test
    void tombstonesAreEmptyAndGarbageIsRefused() throws IOException {
        assertTrue(GroupChanges.parse(null).isEmpty());
        assertTrue(GroupChanges.parse("").isEmpty());
        assertThrows(IOException.class, () -> GroupChanges.parse("[1]"));
        assertThrows(IOException.class, () -> GroupChanges.parse("{\"op\":\"x\"}"));
        assertThrows(IOException.class, () -> GroupChanges.parse("{\"op\":\"c\",\"after\":null}"));
        assertThrows(
                IOException.class,
                () ->
                        GroupChanges.message(
                                GroupChanges.parse("{\"op\":\"c\",\"after\":{\"id\":1}}")
                                        .orElseThrow()
                                        .row()));
        assertThrows(
                IOException.class,
                () ->
                        GroupChanges.message(
                                GroupChanges.parse(
                                                INSERT.replace(
                                                        "2026-11-30T11:42:32.123456Z", "soon"))
                                        .orElseThrow()
                                        .row()));
    }
}
