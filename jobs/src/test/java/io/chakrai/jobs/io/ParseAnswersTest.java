package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Change events of stress_answers as the CDC service writes them (Debezium JSON, replica identity
 * full).
 */
class ParseAnswersTest {
    static RawRecord change(String op, String row) {
        return Changes.change("cdc.public.stress_answers", op, row);
    }

    static String row(long id, String kind, String answer, Integer level) {
        return "{\"id\":"
                + id
                + ",\"user_id\":7,\"kind\":\""
                + kind
                + "\",\"prediction_id\":"
                + (answer == null ? "null" : "42")
                + ",\"answer\":"
                + (answer == null ? "null" : "\"" + answer + "\"")
                + ",\"stress_level\":"
                + level
                + ",\"minute_start\":\"2026-06-01T09:14:00Z\",\"created_at\":\"2026-06-01T11:00:00.123456Z\"}";
    }

    static List<Answer> parse(RawRecord... records) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseAnswers()));
        h.open();
        for (RawRecord r : records) {
            h.processElement(r, 0);
        }
        assertEquals(null, h.getSideOutput(ParseAnswers.DEAD_LETTERS), "nothing unreadable");
        return new ArrayList<>(h.extractOutputValues());
    }

    @Test
    void answersBecomeLabelsAndDeletesForgetThePerson() throws Exception {
        long minute = Instant.parse("2026-06-01T09:14:00Z").toEpochMilli();
        List<Answer> out =
                parse(
                        change("c", row(1, "episode", "yes", null)),
                        change("c", row(2, "episode", "no", null)),
                        change("c", row(3, "episode", "not_sure", null)),
                        change("r", row(4, "check_in", null, 8)),
                        change("c", row(5, "check_in", null, 5)),
                        change("c", row(6, "check_in", null, 2)),
                        change("u", row(6, "check_in", null, 2)),
                        change("d", "{\"id\":1,\"user_id\":7}"));
        assertEquals(
                List.of(
                        new Answer(1, 7, minute, true, 1, false),
                        new Answer(2, 7, minute, true, 0, false),
                        new Answer(3, 7, minute, true, -1, false),
                        new Answer(4, 7, minute, false, 1, false),
                        new Answer(5, 7, minute, false, -1, false),
                        new Answer(6, 7, minute, false, 0, false),
                        new Answer(1, 7, 0, false, -1, true)),
                out,
                "an update teaches nothing: answers are final; a delete "
                        + "(its row's id and person only: the replica identity) forgets");
    }

    @Test
    void aNewRowOfErasedUsersForgetsThePersonWhateverTheyAnswered() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseAnswers()));
        h.open();
        String row = "{\"user_id\":9,\"erased_at\":\"2026-06-01T11:00:00.123456Z\"}";
        h.processElement(Changes.change("cdc.public.erased_users", "c", row), 0);
        assertEquals(List.of(Answer.erasure(9)), h.extractOutputValues());
    }

    @Test
    void anUnreadableEventIsADeadLetterNotAFailure() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseAnswers()));
        h.open();
        h.processElement(
                change(
                        "c",
                        row(1, "episode", "yes", null)
                                .replace("2026-06-01T09:14:00Z", "yesterday")),
                0);
        h.processElement(new RawRecord("cdc.public.stress_answers", 0, 2, null, "not json", 0), 0);
        assertTrue(h.extractOutputValues().isEmpty());
        assertEquals(2, h.getSideOutput(ParseAnswers.DEAD_LETTERS).size());
    }
}
