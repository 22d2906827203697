package io.chakrai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chakrai.embedded.EmbeddedKafka;
import io.chakrai.embedded.EmbeddedPostgres;
import io.chakrai.models.Json;
import io.chakrai.models.Topics;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The API started for real on an embedded PostgreSQL and Kafka broker, as the API tests share it.
 */
final class ApiFixture implements AutoCloseable {
    static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";
    static final String DEVICE_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    /** Short, so that an unanswered escalation is raised within a test. */
    static final Duration ESCALATION_ACK = Duration.ofSeconds(3);

    final EmbeddedPostgres pg;
    final EmbeddedKafka kafka;
    final ApiConfig config;
    final ApiServer server;
    final Http http;

    private ApiFixture(
            EmbeddedPostgres pg, EmbeddedKafka kafka, ApiConfig config, ApiServer server) {
        this.pg = pg;
        this.kafka = kafka;
        this.config = config;
        this.server = server;
        this.http = new Http("http://localhost:" + server.port());
    }

    static ApiFixture start(String database, long maxBodyBytes) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0, database);
        EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, 0, 2);
        kafka.createTopics(
                List.of(
                        new NewTopic(Topics.READINGS, 2, (short) 1)
                                .configs(EmbeddedKafka.KEEP_HISTORY)));
        ApiConfig config =
                new ApiConfig(
                        "localhost",
                        0,
                        pg.jdbcUrl(),
                        pg.user(),
                        "",
                        kafka.bootstrapServers(),
                        Topics.READINGS,
                        Topics.PREDICTIONS,
                        SECRET,
                        Duration.ofMinutes(30),
                        DEVICE_KEY,
                        10_000,
                        maxBodyBytes,
                        4,
                        ESCALATION_ACK);
        return new ApiFixture(pg, kafka, config, ApiServer.start(config));
    }

    /** The user id a token names (its {@code sub}). */
    static int userId(String token) throws Exception {
        String payload =
                new String(
                        java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                        java.nio.charset.StandardCharsets.UTF_8);
        return Integer.parseInt(Json.MAPPER.readTree(payload).path("sub").asText());
    }

    /** The test database, for rows a test writes or reads directly. */
    javax.sql.DataSource dataSource() {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        ds.setUser(pg.user());
        return ds;
    }

    /** Registers {@code email} and returns an access token. */
    String registerAndLogin(String email) {
        Http.Response reg =
                http.post(
                        "/api/v2/auth/register",
                        null,
                        "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
        assertEquals(201, reg.status(), reg.body());
        Http.Response tok =
                http.post(
                        "/api/v2/auth/token",
                        null,
                        "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
        assertEquals(200, tok.status(), tok.body());
        assertEquals("Bearer", tok.json().get("token_type").asText());
        return tok.json().get("access_token").asText();
    }

    @Override
    public void close() throws Exception {
        server.close();
        kafka.close();
        pg.close();
    }
}
