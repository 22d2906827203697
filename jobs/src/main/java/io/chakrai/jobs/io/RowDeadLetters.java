package io.chakrai.jobs.io;

import io.chakrai.jobs.config.SourceOptions;
import java.io.Serializable;

/**
 * Dead letters for the rows a job writes (predictions, assessments, scores) that the database
 * refuses: to the job's dead-letter topic, keyed by the person, with the table named as the
 * letter's source topic and the row as the value, so an operator sees exactly what was refused and
 * why.
 */
public final class RowDeadLetters {
    private RowDeadLetters() {}

    /** The person a row belongs to. */
    @FunctionalInterface
    public interface Owner<T> extends Serializable {
        int userId(T row);
    }

    /** The row as text. */
    @FunctionalInterface
    public interface AsText<T> extends Serializable {
        String json(T row);
    }

    public static <T> KafkaDeadLetters<T> of(
            SourceOptions o, String table, Owner<T> owner, AsText<T> text) {
        return new KafkaDeadLetters<>(
                o.kafkaBootstrap,
                o.deadLetterTopic,
                (row, why) ->
                        new DeadLetter(
                                why,
                                new RawRecord(
                                        table,
                                        -1,
                                        -1,
                                        Integer.toString(owner.userId(row)),
                                        text.json(row),
                                        System.currentTimeMillis()),
                                System.currentTimeMillis()));
    }
}
