package io.chakrai.jobs.io;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters from a sink to a Kafka topic, acknowledged by every in-sync replica ({@code
 * acks=all}, idempotent producer) before the sink's checkpoint completes. The record key is the
 * source record's key (the user id for readings), so a person's dead letters stay in order.
 *
 * @param <T> the row type the sink writes
 */
public final class KafkaDeadLetters<T> implements ResilientJdbcSink.DeadLetters<T> {
    private static final long serialVersionUID = 1L;

    /** Turns a refused row and the database's reason into a dead letter. */
    @FunctionalInterface
    public interface ToDeadLetter<T> extends Serializable {
        DeadLetter of(T row, String reason);
    }

    private final String bootstrap;
    private final String topic;
    private final ToDeadLetter<T> convert;

    public KafkaDeadLetters(String bootstrap, String topic, ToDeadLetter<T> convert) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.convert = convert;
    }

    @Override
    public Output<T> open() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letters-" + topic);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetter.JsonSerializer json = new DeadLetter.JsonSerializer();
        AtomicReference<Exception> failure = new AtomicReference<>();
        return new Output<>() {
            @Override
            public void send(T row, String reason) {
                DeadLetter d = convert.of(row, reason);
                byte[] key =
                        d.source().key() == null
                                ? null
                                : d.source().key().getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(topic, key, json.serialize(d)),
                        (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }

            @Override
            public void flush() throws IOException {
                producer.flush();
                Exception e = failure.getAndSet(null);
                if (e != null) {
                    throw new IOException(
                            "a dead letter was not acknowledged by Kafka topic " + topic, e);
                }
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(5));
            }
        };
    }
}
