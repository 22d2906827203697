package io.chakrai.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chakrai.api.groups.CrisisResources;
import io.chakrai.api.groups.GroupFeed;
import io.chakrai.api.health.PipelineHealth;
import io.chakrai.api.http.RouteTable;
import io.chakrai.api.predictions.PredictionFeed;
import io.chakrai.api.readings.ReadingPublisher;
import io.chakrai.api.ws.UserSessions;
import io.chakrai.models.groups.MiniLmEmbedder;
import io.chakrai.sql.Migrations;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API as a running server: connection pool, schema migrations, Kafka producer, Javalin. Used by
 * the embedded stack and, through {@link #main}, by the API container in docker-compose.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HikariDataSource db;
    private final ReadingPublisher publisher;
    private final Admin admin;
    private final Javalin app;
    private final RouteTable routes;
    private final PredictionFeed feed;
    private final GroupFeed groupFeed;

    private ApiServer(
            HikariDataSource db,
            ReadingPublisher publisher,
            Admin admin,
            Javalin app,
            RouteTable routes,
            PredictionFeed feed,
            GroupFeed groupFeed) {
        this.groupFeed = groupFeed;
        this.db = db;
        this.publisher = publisher;
        this.admin = admin;
        this.app = app;
        this.routes = routes;
        this.feed = feed;
    }

    public static void main(String[] args) {
        ApiServer server =
                start(
                        ApiConfig.fromEnv(System.getenv()),
                        ApiConfig.pipelineFromEnv(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "api-shutdown"));
    }

    /** The API alone, with no pipeline behind it to watch. */
    public static ApiServer start(ApiConfig cfg) {
        return start(cfg, PipelineHealth.Settings.NONE);
    }

    /**
     * Connects, migrates the schema, and starts listening; fails fast with a clear message. {@code
     * /health} also reports on the Flink jobs and consumer groups that {@code pipeline} names.
     */
    public static ApiServer start(ApiConfig cfg, PipelineHealth.Settings pipeline) {
        LOG.info("starting API with {}", cfg.describe());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(cfg.dbUrl());
        hc.setUsername(cfg.dbUser());
        hc.setPassword(cfg.dbPassword());
        hc.setMaximumPoolSize(16);
        hc.setPoolName("chakrai-api");
        HikariDataSource db = new HikariDataSource(hc);
        Migrations.apply(db);

        ReadingPublisher publisher =
                ReadingPublisher.create(cfg.kafkaBootstrap(), cfg.readingsTopic(), Map.of());
        Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                cfg.kafkaBootstrap(),
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                3_000,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                3_000));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);

        Map<String, Supplier<Boolean>> checks = new LinkedHashMap<>();
        checks.put(
                "postgres",
                () -> {
                    try (Connection c = db.getConnection()) {
                        return c.isValid(2);
                    } catch (SQLException e) {
                        return false;
                    }
                });
        checks.put(
                "kafka",
                () -> {
                    try {
                        return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
        UserSessions sessions = new UserSessions();
        PipelineHealth pipelineHealth =
                new PipelineHealth(pipeline, admin, metrics, Clock.systemUTC(), db);
        ChakraiApi.Built built =
                ChakraiApi.create(
                        new ChakraiApi.Dependencies(
                                cfg,
                                db,
                                publisher,
                                metrics,
                                Clock.systemUTC(),
                                checks,
                                pipelineHealth::checks,
                                sessions,
                                new MiniLmEmbedder(),
                                CrisisResources.load(System.getenv("CHAKRAI_CRISIS_RESOURCES"))));
        Javalin app = built.app();
        try {
            app.start(cfg.host(), cfg.port());
        } catch (RuntimeException e) {
            publisher.close();
            admin.close(Duration.ofSeconds(2));
            db.close();
            throw new IllegalStateException(
                    "the API cannot listen on "
                            + cfg.host()
                            + ":"
                            + cfg.port()
                            + " (port taken? set CHAKRAI_API_PORT / --api-port)",
                    e);
        }
        PredictionFeed feed =
                new PredictionFeed(cfg.kafkaBootstrap(), cfg.predictionsTopic(), sessions, metrics);
        LOG.info("API listening on http://{}:{}", cfg.host(), app.port());
        ChakraiApi.Groups groups = built.groups();
        GroupFeed groupFeed =
                new GroupFeed(cfg.kafkaBootstrap(), groups.delivery(), groups.escalations());
        return new ApiServer(db, publisher, admin, app, built.routes(), feed, groupFeed);
    }

    public int port() {
        return app.port();
    }

    public Javalin app() {
        return app;
    }

    /**
     * Every route the app serves, with its roles and schemas (what {@code /openapi.json} is made
     * from).
     */
    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
        try {
            feed.close();
            groupFeed.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        admin.close(Duration.ofSeconds(2));
        db.close();
        LOG.info("API stopped");
    }
}
