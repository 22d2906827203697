package io.chakrai.api.ws;

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
 * A live feed of Kafka topics into this API instance, for pushing to its sockets: every instance
 * reads every record from the end, in a consumer group of its own, committing nothing (what
 * happened before it started is not news). A record its handler cannot use is skipped with a
 * warning naming the topic and offset, never its content.
 */
public final class TopicFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);

    /** What to do with one record. */
    @FunctionalInterface
    public interface Handler {
        void handle(ConsumerRecord<String, String> record) throws Exception;
    }

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Handler handler;

    public TopicFeed(
            String bootstrap, String name, List<String> topics, int maxWaitMs, Handler handler) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chakrai-api-" + name + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(maxWaitMs));
        // topics made after the start (the CDC service's) are found within seconds
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.handler = handler;
        consumer.subscribe(topics);
        this.thread = new Thread(this::run, name + "-feed");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handler.handle(r);
                    } catch (Exception e) {
                        LOG.warn(
                                "skipping an unusable record on {} at offset {}: {}",
                                r.topic(),
                                r.offset(),
                                e.getClass().getSimpleName());
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
