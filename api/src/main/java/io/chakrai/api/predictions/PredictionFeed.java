package io.chakrai.api.predictions;

import io.chakrai.models.stress.PredictionCodec;
import io.chakrai.api.ws.UserSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes topic {@code predictions} and pushes the spec's server events to the owner's open WebSockets
 * only, in {@link PredictionCodec}'s event form: {@code stress_prediction {level, confidence, timeToOnset,
 * recommendations}} and, when one was triggered, {@code intervention_trigger {type, content, urgency}}. Every API instance reads every
 * prediction (its own consumer group, from the end); the topic is at-least-once, so an event already
 * pushed (same user, type and prediction time) is dropped.
 */
public final class PredictionFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionFeed.class);
    private static final int REMEMBERED = 10_000;

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counter pushed;
    private final PredictionPush push;

    public PredictionFeed(String bootstrap, String topic, UserSessions sessions, MeterRegistry metrics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chakrai-api-push-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.push = new PredictionPush(sessions::send, REMEMBERED);
        this.pushed = Counter.builder("chakrai_ws_prediction_events").description("prediction events pushed to sockets")
                .register(metrics);
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "prediction-feed");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (push.deliver(PredictionCodec.fromRecord(r.value())) >= 0) {
                            pushed.increment();
                        }
                    } catch (Exception e) {
                        LOG.warn("skipping an unreadable prediction event at offset {}: {}", r.offset(), e.getClass().getSimpleName());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
