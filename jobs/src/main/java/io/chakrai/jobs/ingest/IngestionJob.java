package io.chakrai.jobs.ingest;

import io.chakrai.jobs.config.IngestionOptions;
import io.chakrai.jobs.io.DeadLetter;
import io.chakrai.jobs.io.DeviceDirectory;
import io.chakrai.jobs.io.ParseReadings;
import io.chakrai.jobs.io.RawRecord;
import io.chakrai.jobs.io.ReadingsJdbcSink;
import io.chakrai.jobs.io.ReadingsSource;
import io.chakrai.models.readings.BiometricReading;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Readings from Kafka into PostgreSQL: {@code biometric.readings} → parse and validate (bad records
 * to the dead-letter topic with the reason) → idempotent upsert into {@code biometric_readings}.
 * Event time is the device timestamp (the API stamps it on each Kafka record) with bounded
 * out-of-orderness watermarks per partition. With checkpointing on, a restart from a checkpoint
 * neither loses nor doubles a reading: offsets come back from the checkpoint and replays upsert.
 */
public final class IngestionJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestionJob.class);
    public static final String NAME = "chakrai-ingestion";

    private IngestionJob() {}

    /** Wires the job: parse and validate, then the two sinks. */
    private static void build(
            StreamExecutionEnvironment env,
            Source<RawRecord, ?, ?> source,
            WatermarkStrategy<RawRecord> watermarks,
            DeviceDirectory.Connect devices,
            Sink<BiometricReading> readings,
            Sink<DeadLetter> deadLetters) {
        SingleOutputStreamOperator<BiometricReading> parsed =
                ReadingsSource.parsed(
                        env,
                        source,
                        watermarks,
                        devices,
                        "readings-source",
                        "parse-readings",
                        "ingestion");
        parsed.getSideOutput(ParseReadings.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid("dead-letter-sink")
                .name("dead letters → Kafka");
        parsed.sinkTo(readings)
                .uid("readings-jdbc-sink")
                .name("upsert → biometric_readings (refused rows → dead letters)");
    }

    /** Checkpointing and the job parameters the Flink UI shows. */
    private static void configure(StreamExecutionEnvironment env, IngestionOptions cfg) {
        cfg.source.checkpointing(env);
        // every reading is handed from the source to the parser to the sink in one thread; its
        // records are immutable,
        // so they are passed on as they are instead of copied at each step (two copies a reading)
        env.getConfig().enableObjectReuse();
        env.getCheckpointConfig()
                .setMinPauseBetweenCheckpoints(
                        Math.min(1_000, cfg.source.checkpointIntervalMs / 2));
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(cfg.describe()));
    }

    /** Builds the whole job from a config: Kafka in, PostgreSQL and the dead-letter topic out. */
    public static void buildFrom(StreamExecutionEnvironment env, IngestionOptions cfg) {
        configure(env, cfg);
        if (cfg.parallelism > 0) {
            env.setParallelism(cfg.parallelism);
        }
        build(
                env,
                ReadingsSource.kafka(cfg.source, cfg.groupId, false),
                ReadingsSource.eventTime(cfg.source),
                DeviceDirectory.Connect.of(cfg.source),
                ReadingsJdbcSink.create(
                        cfg.source.dbUrl,
                        cfg.source.dbUser,
                        cfg.source.dbPassword,
                        cfg.jdbcBatchSize,
                        cfg.jdbcBatchIntervalMs,
                        cfg.source.kafkaBootstrap,
                        cfg.source.readingsTopic,
                        cfg.source.deadLetterTopic),
                DeadLetter.topicSink(cfg.source));
    }

    /**
     * Entry point on a Flink cluster: {@code flink run -c io.chakrai.jobs.ingest.IngestionJob
     * chakrai-jobs.jar [options]}.
     */
    public static void main(String[] args) throws Exception {
        IngestionOptions cfg = new IngestionOptions();
        new CommandLine(cfg).parseArgs(args);
        LOG.info("starting {} with {}", NAME, cfg.describe());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        buildFrom(env, cfg);
        env.execute(NAME);
    }
}
