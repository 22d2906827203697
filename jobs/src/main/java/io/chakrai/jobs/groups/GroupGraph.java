package io.chakrai.jobs.groups;

import io.chakrai.jobs.config.GroupOptions;
import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.jobs.io.ResilientJdbcSink;
import io.chakrai.jobs.io.RowDeadLetters;
import io.chakrai.models.groups.GroupChanges;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * Group dynamics from the change stream: {@code cdc.public.group_messages} (written by the CDC
 * service) → each message once (the stream is at least once) → per group, tumbling event-time
 * windows of mood (mean sentiment and intensity, share of negative messages, writers) upserted into
 * {@code group_mood}, with partial results while a window is open; per participant, engagement into
 * {@code group_participants.engagement_level}; CEP patterns for a member whose mood falls message
 * after message and for a group-wide negative spiral → {@code crisis_escalations} (a facilitator is
 * alerted through the API's change feed). The graph never sees a user id: messages carry
 * participants only. Run as {@link GroupDynamicsJob}.
 */
public final class GroupGraph {
    private GroupGraph() {}

    /** Where results go (injected, so a test can collect them). */
    public record Sinks(
            Sink<GroupMood> mood,
            Sink<Engagement.Level> engagement,
            Sink<GroupAlert> alerts,
            Sink<DeadLetter> deadLetters) {
        /**
         * {@code group_mood}, {@code group_participants}, {@code crisis_escalations}, dead letters.
         */
        public static Sinks of(GroupOptions o) {
            return sinks(o);
        }
    }

    /**
     * Wires the graph on a stream of raw change records (Kafka in production, a bounded collection
     * in tests); returns its alerts (a member's falling mood, a group's negative spiral), as the
     * sink gets them.
     */
    public static DataStream<GroupAlert> attach(
            DataStream<RawRecord> changes, GroupOptions o, Sinks sinks) {
        SingleOutputStreamOperator<GroupChanges.Message> parsed =
                changes.process(new ParseGroupMessages())
                        .uid("group-parse")
                        .name("parse change events");
        parsed.getSideOutput(ParseGroupMessages.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid("group-dead-letters")
                .name("dead letters → Kafka");
        DataStream<GroupChanges.Message> messages =
                parsed.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<GroupChanges.Message>forGenerator(
                                                ctx ->
                                                        new LiveWatermarks(
                                                                o.source.maxOutOfOrdernessSeconds
                                                                        * 1000L,
                                                                2_000))
                                        .withTimestampAssigner(
                                                (m, ts) -> m.timestamp().toEpochMilli())
                                        .withIdleness(Duration.ofSeconds(o.source.idlenessSeconds)))
                        .uid("group-event-time")
                        .name("message time")
                        .keyBy(GroupChanges.Message::id)
                        .process(new FirstOfEachMessage())
                        .uid("group-dedupe")
                        .name("each message once");
        DataStream<GroupChanges.Message> visible =
                messages.filter(m -> !m.held() && !m.removed())
                        .uid("group-visible")
                        .name("visible to the group");

        visible.keyBy(GroupChanges.Message::groupId)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(o.windowMinutes)))
                .trigger(new EarlyFiring(o.earlyFiringSeconds * 1000L))
                .aggregate(new MoodAggregate(), new MoodAggregate.ToMood())
                .uid("group-mood")
                .name("group mood windows")
                .sinkTo(sinks.mood())
                .uid("group-mood-sink")
                .name("upsert → group_mood");
        messages.keyBy(GroupChanges.Message::participantId)
                .process(new Engagement())
                .uid("group-engagement")
                .name("participant engagement")
                .sinkTo(sinks.engagement())
                .uid("group-engagement-sink")
                .name("update → group_participants");

        // in event time: the change stream is ordered per message id, not per participant or group,
        // so the
        // patterns see each member's and each group's messages sorted by their time (up to the
        // watermark)
        DataStream<GroupAlert> declines =
                CEP.pattern(
                                messages.keyBy(GroupChanges.Message::participantId),
                                GroupPatterns.memberDecline())
                        .process(new GroupPatterns.ToDeclineAlert())
                        .uid("group-decline")
                        .name("CEP: a member's falling mood");
        DataStream<GroupAlert> spirals =
                CEP.pattern(
                                visible.keyBy(GroupChanges.Message::groupId),
                                GroupPatterns.negativeSpiral())
                        .process(new GroupPatterns.ToSpiralAlert())
                        .uid("group-spiral")
                        .name("CEP: a group's negative spiral");
        DataStream<GroupAlert> alerts = declines.union(spirals);
        alerts.sinkTo(sinks.alerts()).uid("group-alerts-sink").name("insert → crisis_escalations");
        return alerts;
    }

    static final String MOOD_UPSERT =
            "INSERT INTO group_mood (group_id, window_start, window_end, messages, participants, "
                    + "mean_sentiment, mean_intensity, negative_share, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()) "
                    + "ON CONFLICT (group_id, window_start) DO UPDATE SET window_end = EXCLUDED.window_end, messages = EXCLUDED.messages, "
                    + "participants = EXCLUDED.participants, mean_sentiment = EXCLUDED.mean_sentiment, mean_intensity = EXCLUDED.mean_intensity, "
                    + "negative_share = EXCLUDED.negative_share, updated_at = now()";
    static final String ENGAGEMENT =
            "UPDATE group_participants SET engagement_level = ? WHERE id = ?";
    static final String ALERT =
            "INSERT INTO crisis_escalations (kind, severity, group_id, participant_id, message_id, concepts, reasons, "
                    + "source, dedupe_key) VALUES (?, ?, ?, ?, ?, ARRAY[?], jsonb_build_array(?::text), 'group-dynamics-job', ?) "
                    + "ON CONFLICT (dedupe_key) DO NOTHING";

    private static Sinks sinks(GroupOptions o) {
        SourceOptions s = o.source;
        return new Sinks(
                new ResilientJdbcSink<>(
                        "group_mood",
                        s.dbUrl,
                        s.dbUser,
                        s.dbPassword,
                        MOOD_UPSERT,
                        (ps, m) -> {
                            ps.setInt(1, m.groupId());
                            ps.setTimestamp(
                                    2, Timestamp.from(Instant.ofEpochMilli(m.windowStart())));
                            ps.setTimestamp(3, Timestamp.from(Instant.ofEpochMilli(m.windowEnd())));
                            ps.setInt(4, m.messages());
                            ps.setInt(5, m.participants());
                            ps.setDouble(6, m.meanSentiment());
                            ps.setDouble(7, m.meanIntensity());
                            ps.setDouble(8, m.negativeShare());
                        },
                        200,
                        200,
                        RowDeadLetters.of(s, "group_mood", m -> 0, GroupMood::toString)),
                new ResilientJdbcSink<>(
                        "group_participants",
                        s.dbUrl,
                        s.dbUser,
                        s.dbPassword,
                        ENGAGEMENT,
                        (ps, e) -> {
                            ps.setDouble(1, e.level());
                            ps.setInt(2, e.participantId());
                        },
                        200,
                        500,
                        RowDeadLetters.of(
                                s, "group_participants", e -> 0, Engagement.Level::toString)),
                new ResilientJdbcSink<>(
                        "crisis_escalations",
                        s.dbUrl,
                        s.dbUser,
                        s.dbPassword,
                        ALERT,
                        (ps, a) -> {
                            ps.setString(1, a.kind());
                            ps.setString(2, a.severity());
                            ps.setInt(3, a.groupId());
                            if (a.participantId() > 0) {
                                ps.setInt(4, a.participantId());
                            } else {
                                ps.setNull(4, java.sql.Types.INTEGER);
                            }
                            ps.setLong(5, a.messageId());
                            ps.setString(6, a.kind());
                            ps.setString(7, a.reason());
                            ps.setString(8, a.dedupeKey());
                        },
                        50,
                        50,
                        RowDeadLetters.of(s, "crisis_escalations", a -> 0, GroupAlert::toString)),
                DeadLetter.topicSink(s));
    }
}
