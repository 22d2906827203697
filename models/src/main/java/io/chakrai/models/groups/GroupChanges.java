package io.chakrai.models.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.models.Json;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * The one codec of the change events the CDC service writes (Debezium's JSON without schemas, one
 * topic per table, {@code cdc.public.<table>}, keyed by primary key): {@code {"before": row|null,
 * "after": row|null, "op": "c"|"u"|"d"|"r", "source": {"lsn": …}}}. Decimals arrive as doubles,
 * {@code timestamptz} as ISO-8601 text. Delivery is at least once: consumers deduplicate by the
 * row's id.
 */
public final class GroupChanges {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private GroupChanges() {}

    /** A change event: the operation and the row after it (before it, for a delete). */
    public record Change(char op, JsonNode row, long lsn) {
        public boolean isDelete() {
            return op == 'd';
        }

        /** A new row: created, or read by the first snapshot. */
        public boolean isInsert() {
            return op == 'c' || op == 'r';
        }
    }

    /**
     * A message as the group job and the API's fan-out need it (no user id: messages carry only a
     * participant).
     */
    public record Message(
            long id,
            int groupId,
            int participantId,
            String messageType,
            String content,
            double sentiment,
            int intensity,
            Instant timestamp,
            boolean held,
            boolean removed)
            implements Serializable {}

    /**
     * A membership: who (for the API's fan-out), in which group, under which pseudonym, whether
     * still in it.
     */
    public record Participant(
            int id, int groupId, Integer userId, String anonymousId, boolean active)
            implements Serializable {}

    /**
     * Parses a change event; empty for a tombstone (null or empty value). Throws on anything else
     * malformed.
     */
    public static Optional<Change> parse(String json) throws IOException {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        JsonNode n = MAPPER.readTree(json);
        if (n == null || !n.isObject()) {
            throw new IOException("a change event is a JSON object");
        }
        // events with the schema envelope carry the change under "payload"
        if (n.has("payload") && n.get("payload").isObject()) {
            n = n.get("payload");
        }
        String op = n.path("op").asText("");
        if (op.length() != 1 || "cudr".indexOf(op.charAt(0)) < 0) {
            throw new IOException("unknown change operation '" + op + "'");
        }
        JsonNode row = op.equals("d") ? n.get("before") : n.get("after");
        if (row == null || !row.isObject()) {
            throw new IOException("change event without its row");
        }
        return Optional.of(new Change(op.charAt(0), row, n.path("source").path("lsn").asLong(0)));
    }

    public static Message message(JsonNode row) throws IOException {
        return new Message(
                need(row, "id").asLong(),
                need(row, "group_id").asInt(),
                need(row, "participant_id").asInt(),
                need(row, "message_type").asText(),
                row.path("content").isTextual() ? row.get("content").asText() : null,
                row.path("sentiment").isNumber() ? row.get("sentiment").asDouble() : 0,
                row.path("emotional_intensity").isNumber()
                        ? row.get("emotional_intensity").asInt()
                        : 1,
                instant(need(row, "timestamp")),
                "held".equals(row.path("status").asText("visible")),
                row.hasNonNull("removed_at"));
    }

    public static Participant participant(JsonNode row) throws IOException {
        return new Participant(
                need(row, "id").asInt(),
                need(row, "group_id").asInt(),
                row.path("user_id").isNumber() ? row.get("user_id").asInt() : null,
                need(row, "anonymous_id").asText(),
                !row.hasNonNull("left_at") && row.path("user_id").isNumber());
    }

    private static JsonNode need(JsonNode row, String field) throws IOException {
        JsonNode v = row.get(field);
        if (v == null || v.isNull()) {
            throw new IOException("change event row without " + field);
        }
        return v;
    }

    /**
     * Debezium writes timestamptz as ISO-8601 text; with the connect time mode, as microseconds.
     */
    static Instant instant(JsonNode v) throws IOException {
        try {
            if (v.isNumber()) {
                long micros = v.asLong();
                return Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000),
                        Math.floorMod(micros, 1_000_000) * 1_000L);
            }
            return Instant.parse(v.asText());
        } catch (RuntimeException e) {
            throw new IOException("unreadable timestamp", e);
        }
    }
}
