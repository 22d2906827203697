package io.chakrai.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.launcher.sim.ApiClient;
import io.chakrai.launcher.sim.ScriptedDay;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.LeaveOneSubjectOut;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.simulation.Activity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * A model trained, registered and promoted, deployed as a Flink job through the REST API onto the running
 * MiniCluster (as `chakrai deploy-job` does), and its scores read back through the API.
 */
class DeployJobITCase {
    @TempDir
    static Path data;
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(data);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** Stress raises heart rate and its spread and lowers RMSSD, with people's own offsets. */
    static FeatureTable trainingTable() {
        Random r = new Random(3);
        int n = 900;
        double[][] x = new double[n][];
        int[] y = new int[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            double off = (i % 9) * 1.5;
            x[i] = new double[] {65 + off + 20 * y[i] + r.nextGaussian() * 4, 2 + 2 * y[i] + r.nextDouble(),
                    50 - 20 * y[i] + r.nextGaussian() * 6};
            s[i] = "P" + (i % 9);
        }
        return new FeatureTable(List.of("hr_mean", "hr_std", "rmssd"), x, y, s, "synthetic");
    }

    static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(), "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aPromotedModelDeployedThroughTheRestApiScoresEveryMinuteAndTheScoresAreReadableThroughTheApi() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        ModelRegistry registry = new ModelRegistry(ds);
        int version = registry.register("stress_minute", LeaveOneSubjectOut.finalModel(trainingTable(),
                ModelKind.LOGISTIC_REGRESSION, 1, 3), "{}", "synthetic", "test");
        registry.promote("stress_minute", version);

        ApiClient api = new ApiClient(stack.apiUrl());
        String token = api.login("erin@deploy.test", "erin's long password");
        int device = api.device(token, "garmin", "G-E", "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]");
        Instant start = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        assertEquals(202, api.call("POST", "/api/v2/biometric/readings", token,
                ScriptedDay.json(device, 5, start, 20, Activity.STRESS, 10, 5)).status());

        Path jar = Path.of("..", "jobs", "target", "chakrai-jobs-0.1.0-SNAPSHOT-job.jar");
        assertTrue(Files.exists(jar), "the job jar is built before the launcher's tests: " + jar.toAbsolutePath());
        DeployJobCommand deploy = new DeployJobCommand();
        new CommandLine(deploy).parseArgs("--flink", stack.flink().webUrl(), "--jar", jar.toString(),
                "--model-name", "stress_minute", "--model-version", Integer.toString(version), "--bounded",
                "--kafka-bootstrap", stack.kafka().bootstrapServers(), "--db-url", stack.postgres().jdbcUrl());
        String job = deploy.deploy();
        FlinkRest rest = new FlinkRest(stack.flink().webUrl());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("FINISHED", "FAILED", "CANCELED").contains(rest.state(job)));
        assertEquals("FINISHED", rest.state(job), "the backfill ran to the end of the topic");

        // one score per minute with readings (35 minutes), marked with the version
        assertEquals(35, count("SELECT count(*) FROM model_scores WHERE model_name = 'stress_minute' AND model_version = "
                + version));
        JsonNode scores = api.call("GET", "/api/v2/prediction/model-scores?model=stress_minute&limit=100", token, null).body();
        assertEquals(35, scores.get("scores").size());
        double calm = scores.get("scores").findValuesAsText("probability").stream().mapToDouble(Double::parseDouble).min().orElseThrow();
        double stressed = scores.get("scores").findValuesAsText("probability").stream().mapToDouble(Double::parseDouble).max().orElseThrow();
        assertTrue(calm < 0.3 && stressed > 0.7, "calm " + calm + ", stressed " + stressed);
        String other = api.login("frank@deploy.test", "frank's long password");
        assertEquals(0, api.call("GET", "/api/v2/prediction/model-scores?model=stress_minute", other, null).body()
                .get("scores").size());
    }
}
