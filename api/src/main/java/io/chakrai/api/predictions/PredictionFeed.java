package io.chakrai.api.predictions;

import io.chakrai.api.ws.TopicFeed;
import io.chakrai.api.ws.UserSessions;
import io.chakrai.models.stress.PredictionCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Consumes topic {@code predictions} and pushes the spec's server events to the owner's open
 * WebSockets only, in {@link PredictionCodec}'s event form: {@code stress_prediction {level,
 * confidence, timeToOnset, recommendations}} and, when one was triggered, {@code
 * intervention_trigger {type, content, urgency}}. Every API instance reads every prediction (its
 * own consumer group, from the end); the topic is at-least-once, so an event already pushed (same
 * user, type and prediction time) is dropped.
 */
public final class PredictionFeed implements AutoCloseable {
    private static final int REMEMBERED = 10_000;

    private final TopicFeed feed;

    public PredictionFeed(
            String bootstrap, String topic, UserSessions sessions, MeterRegistry metrics) {
        PredictionPush push =
                new PredictionPush(sessions::send, REMEMBERED, System::currentTimeMillis);
        Counter pushed =
                Counter.builder("chakrai_ws_prediction_events")
                        .description("prediction events pushed to sockets")
                        .register(metrics);
        this.feed =
                new TopicFeed(
                        bootstrap,
                        "push",
                        List.of(topic),
                        50,
                        r -> {
                            if (push.deliver(PredictionCodec.fromRecord(r.value())) >= 0) {
                                pushed.increment();
                            }
                        });
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
    }
}
