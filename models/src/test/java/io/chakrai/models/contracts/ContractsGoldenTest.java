package io.chakrai.models.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.chakrai.client.contract.MessageContract;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.stress.Prediction;
import io.chakrai.models.stress.PredictionCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every message format pinned to golden JSON: a change to a contract (a field renamed, a unit
 * changed, a null become a zero) fails here and has to be made visibly. The dead letter's is in the
 * jobs module ({@code DeadLetterGoldenTest}), beside its writer.
 */
class ContractsGoldenTest {
    static final MessageContract EVENTS = MessageContract.ofRepository();
    static final long T = Instant.parse("2026-03-02T07:30:00Z").toEpochMilli();

    static Prediction stress() {
        return Prediction.made(
                7,
                "stress_episode",
                72,
                0.81,
                "15min",
                T,
                T + 15 * 60_000L,
                new String[] {"heart_rate_elevated", "hrv_low"},
                new String[] {"Take 5 slow breaths"},
                "breathing",
                "Breathe in for 4",
                "medium");
    }

    static Prediction mood() {
        return Prediction.made(
                        7,
                        "mood_decline",
                        40,
                        0.6,
                        "24hours",
                        T,
                        T + 86_400_000L,
                        new String[] {"short_sleep"},
                        new String[] {"Go to bed by 23:00"},
                        null,
                        null,
                        null)
                .withOutcome(55.0, 1.0);
    }

    @Test
    void theReadingRecord() {
        assertEquals(
                "{\"user_id\":3,\"device_id\":9,\"data_type\":\"skin_temperature\",\"value\":33.25,\"unit\":\"celsius\","
                        + "\"quality\":0.8,\"confidence\":0.7,\"timestamp\":\"2026-03-02T07:30:00Z\",\"metadata\":{\"site\":\"wrist\"}}",
                ReadingCodec.toRecord(
                        new BiometricReading(
                                3,
                                9,
                                "skin_temperature",
                                33.25,
                                "celsius",
                                0.8,
                                0.7,
                                Instant.ofEpochMilli(T),
                                "{\"site\":\"wrist\"}")));
    }

    @Test
    void thePredictionRecord() {
        assertEquals(
                "{\"user_id\":7,\"prediction_type\":\"stress_episode\",\"level\":72,\"confidence\":0.81,"
                        + "\"timeframe\":\"15min\",\"prediction_time\":\"2026-03-02T07:30:00Z\",\"target_time\":\"2026-03-02T07:45:00Z\","
                        + "\"time_to_onset_s\":0,\"triggers\":[\"heart_rate_elevated\",\"hrv_low\"],"
                        + "\"recommendations\":[\"Take 5 slow breaths\"],\"intervention\":{\"type\":\"breathing\","
                        + "\"content\":\"Breathe in for 4\",\"urgency\":\"medium\"},\"actual_outcome\":null,\"accuracy\":null}",
                PredictionCodec.toRecord(stress()));
        assertEquals(
                "{\"user_id\":7,\"prediction_type\":\"mood_decline\",\"level\":40,\"confidence\":0.6,"
                        + "\"timeframe\":\"24hours\",\"prediction_time\":\"2026-03-02T07:30:00Z\",\"target_time\":\"2026-03-03T07:30:00Z\","
                        + "\"time_to_onset_s\":86400,\"triggers\":[\"short_sleep\"],\"recommendations\":[\"Go to bed by 23:00\"],"
                        + "\"intervention\":null,\"actual_outcome\":55.0,\"accuracy\":1.0}",
                PredictionCodec.toRecord(mood()));
    }

    @Test
    void theWebSocketEventsOfAPrediction() {
        assertEquals(
                List.of(
                        "{\"type\":\"stress_prediction\",\"prediction\":{\"level\":72,\"confidence\":0.81,\"timeToOnset\":0,"
                                + "\"recommendations\":[\"Take 5 slow breaths\"]},\"prediction_type\":\"stress_episode\","
                                + "\"prediction_time\":\"2026-03-02T07:30:00Z\",\"triggers\":[\"heart_rate_elevated\",\"hrv_low\"]}",
                        "{\"type\":\"intervention_trigger\",\"intervention\":{\"type\":\"breathing\",\"content\":\"Breathe in for 4\","
                                + "\"urgency\":\"medium\"},\"prediction_time\":\"2026-03-02T07:30:00Z\"}"),
                PredictionCodec.events(stress()).stream().map(Object::toString).toList());
        assertEquals(
                List.of(
                        "{\"type\":\"mood_prediction\",\"prediction\":{\"level\":40,\"confidence\":0.6,\"timeToOnset\":86400,"
                                + "\"recommendations\":[\"Go to bed by 23:00\"]},\"prediction_type\":\"mood_decline\","
                                + "\"prediction_time\":\"2026-03-02T07:30:00Z\",\"triggers\":[\"short_sleep\"]}"),
                PredictionCodec.events(mood()).stream().map(Object::toString).toList());
    }

    @Test
    void theRestItemOfAPrediction() {
        assertEquals(
                "{\"id\":5,\"prediction_type\":\"mood_decline\",\"predicted_value\":40,\"confidence\":0.6,"
                        + "\"timeframe\":\"24hours\",\"prediction_time\":\"2026-03-02T07:30:00Z\",\"target_time\":\"2026-03-03T07:30:00Z\","
                        + "\"time_to_onset_s\":86400,\"trigger_factors\":[\"short_sleep\"],\"preventive_actions\":[\"Go to bed by 23:00\"],"
                        + "\"actual_outcome\":55.0,\"accuracy\":1.0,\"intervention_triggered\":false,\"intervention\":null}",
                PredictionCodec.toRest(5, mood()).toString());
    }

    @Test
    void aPredictionReadsTheSameLiveAndReplayed() {
        // live: the job's record, read by the API's feed; replayed: the same prediction rebuilt
        // from its row
        for (Prediction p : List.of(stress(), mood())) {
            Prediction live = PredictionCodec.fromRecord(PredictionCodec.toRecord(p));
            assertEquals(PredictionCodec.toRecord(p), PredictionCodec.toRecord(live));
            assertEquals(
                    PredictionCodec.events(p).toString(), PredictionCodec.events(live).toString());
            assertEquals(PredictionCodec.naturalKey(p), PredictionCodec.naturalKey(live));
        }
    }

    /** Every codec's output is a message the events' description (api/asyncapi.yaml) accepts. */
    @Test
    void everyRecordAndEventIsAsTheEventsDescriptionSays() {
        assertEquals(
                List.of(),
                EVENTS.problems(
                        "ReadingRecord",
                        ReadingCodec.toRecord(
                                new BiometricReading(
                                        3,
                                        9,
                                        "skin_temperature",
                                        33.25,
                                        "celsius",
                                        0.8,
                                        0.7,
                                        Instant.ofEpochMilli(T),
                                        "{\"site\":\"wrist\"}"))));
        assertEquals(
                List.of(),
                EVENTS.problems(
                        "ReadingRecord",
                        ReadingCodec.toRecord(
                                new BiometricReading(
                                        3,
                                        9,
                                        "heart_rate",
                                        61,
                                        "bpm",
                                        1,
                                        0.9,
                                        Instant.ofEpochMilli(T),
                                        null))));
        for (Prediction p : List.of(stress(), mood())) {
            assertEquals(
                    List.of(), EVENTS.problems("PredictionRecord", PredictionCodec.toRecord(p)));
            for (Object event : PredictionCodec.events(p)) {
                assertEquals(List.of(), EVENTS.socketEvent(event.toString()));
            }
        }
        // and the description is no wider than the codec: a field it does not write is refused
        assertFalse(
                EVENTS.problems(
                                "PredictionRecord",
                                PredictionCodec.toRecord(stress())
                                        .replace("{\"user_id\"", "{\"surprise\":1,\"user_id\""))
                        .isEmpty());
    }
}
