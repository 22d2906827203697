package io.chakrai.api.readings;

import io.chakrai.models.readings.Arrival;
import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ReadingCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts accepted readings on Kafka topic {@code biometric.readings}, keyed by user id so one
 * person's readings stay in order on one partition. {@link #publish} returns only when the broker
 * has acknowledged every record with acks=all; the producer is idempotent, so its own retries never
 * write a record twice. A reading that arrives as history (more than {@link Arrival#LIVE} old by
 * this publisher's clock: an import, a phone that synced days late) is sent with header {@link
 * Arrival#HISTORY_HEADER}, so the jobs offer nothing for an episode found in it, on a replay too.
 */
public final class ReadingPublisher implements AutoCloseable {
    private static final List<Header> HISTORY =
            List.of(new RecordHeader(Arrival.HISTORY_HEADER, new byte[] {1}));

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Duration ackTimeout;
    private final Clock clock;

    public ReadingPublisher(Producer<String, byte[]> producer, String topic, Duration ackTimeout) {
        this(producer, topic, ackTimeout, Clock.systemUTC());
    }

    /** With the clock that tells which readings arrive as history. */
    public ReadingPublisher(
            Producer<String, byte[]> producer, String topic, Duration ackTimeout, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
    }

    public static ReadingPublisher create(
            String bootstrapServers, String topic, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "chakrai-api");
        p.putAll(overrides);
        return new ReadingPublisher(
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()),
                topic,
                Duration.ofSeconds(30));
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends every reading and waits until all are acknowledged; throws if any is not. Returns how
     * many were marked as history.
     */
    public int publish(List<BiometricReading> readings) throws PublishException {
        if (readings.isEmpty()) {
            return 0;
        }
        // one completion for the batch, counted down by one callback (a future per reading, then
        // joined, was a tenth
        // of publishing); the first failure fails it
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(readings.size());
        Callback acked =
                (meta, error) -> {
                    if (error != null) {
                        all.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        all.complete(null);
                    }
                };
        try {
            List<byte[]> records = ReadingCodec.toRecords(readings);
            long arrived = clock.millis();
            int history = 0;
            int keyUser = 0;
            String key = null;
            for (int i = 0; i < readings.size(); i++) {
                BiometricReading r = readings.get(i);
                if (key == null || r.userId() != keyUser) {
                    keyUser = r.userId();
                    key = Integer.toString(keyUser);
                }
                long measured = r.timestamp().toEpochMilli();
                boolean past = Arrival.isHistory(measured, arrived);
                history += past ? 1 : 0;
                producer.send(
                        new ProducerRecord<>(
                                topic, null, measured, key, records.get(i), past ? HISTORY : null),
                        acked);
            }
            all.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return history;
        } catch (ExecutionException e) {
            throw new PublishException(
                    "Kafka did not acknowledge the readings: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException(
                    "Kafka did not acknowledge the readings within "
                            + ackTimeout.toSeconds()
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            throw new PublishException("Kafka refused the readings: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** The readings were not (all) made durable; the client should retry the whole request. */
    public static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
