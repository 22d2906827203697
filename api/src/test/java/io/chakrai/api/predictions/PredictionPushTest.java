package io.chakrai.api.predictions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.models.stress.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionPushTest {
    static final long T = 1_764_000_000_000L;

    record Sent(int user, String json) {}

    static Prediction stress(int user, long at) {
        return Prediction.made(
                user,
                "stress_episode",
                70,
                0.8,
                "15min",
                at,
                at + 900_000,
                new String[] {"hr"},
                new String[] {"breathe"},
                "breathing",
                "Breathe slowly",
                "medium");
    }

    @Test
    void aPredictionGoesToItsOwnerOnlyAsItsEventsAndOnce() {
        List<Sent> sent = new ArrayList<>();
        PredictionPush push =
                new PredictionPush(
                        (user, json) -> {
                            sent.add(new Sent(user, json));
                            return 1;
                        },
                        100,
                        () -> T);
        assertEquals(2, push.deliver(stress(7, T)), "stress_prediction + intervention_trigger");
        assertEquals(-1, push.deliver(stress(7, T)), "the at-least-once duplicate is dropped");
        assertEquals(
                2,
                push.deliver(stress(8, T)),
                "another person's prediction at the same time is theirs");
        assertEquals(List.of(7, 7, 8, 8), sent.stream().map(Sent::user).toList());
        assertTrue(
                sent.get(0).json().contains("\"type\":\"stress_prediction\""), sent.get(0).json());
        assertTrue(
                sent.get(1).json().contains("\"type\":\"intervention_trigger\""),
                sent.get(1).json());
    }

    @Test
    void itRemembersABoundedNumberOfPredictions() {
        List<Sent> sent = new ArrayList<>();
        PredictionPush push =
                new PredictionPush(
                        (user, json) -> {
                            sent.add(new Sent(user, json));
                            return 0;
                        },
                        3,
                        () -> T + 4);
        for (int i = 0; i < 4; i++) {
            push.deliver(stress(1, T + i));
        }
        assertEquals(0, push.deliver(stress(1, T + 4)), "no socket open: nothing reached");
        assertEquals(-1, push.deliver(stress(1, T + 4)), "recent ones are remembered");
        assertEquals(
                0, push.deliver(stress(1, T)), "the oldest was forgotten (memory stays bounded)");
    }

    @Test
    void aPredictionAboutThePastIsNotPushedAsAnAlert() {
        List<Sent> sent = new ArrayList<>();
        PredictionPush push =
                new PredictionPush(
                        (user, json) -> {
                            sent.add(new Sent(user, json));
                            return 1;
                        },
                        100,
                        () -> T);
        assertEquals(
                -2,
                push.deliver(stress(7, T - 30L * 86_400_000)),
                "last month's episode, from an imported history");
        assertEquals(-2, push.deliver(stress(7, T - PredictionPush.LIVE - 1)));
        assertEquals(
                2,
                push.deliver(stress(7, T - PredictionPush.LIVE + 60_000)),
                "a sync a few minutes late is still news");
        assertEquals(2, sent.size());
    }
}
