package io.chakrai.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chakrai.api.ApiConfig;
import io.chakrai.jobs.config.IngestionOptions;
import io.chakrai.models.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker-compose cannot run here (no Docker engine), so this keeps it honest: it parses, pins its
 * images, and its services, ports, topics, job arguments and configuration keys agree with the
 * code.
 */
class DockerComposeTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static JsonNode compose;
    static StackOptions defaults;

    @BeforeAll
    static void load() throws Exception {
        compose =
                new ObjectMapper(new YAMLFactory())
                        .readTree(ROOT.resolve("docker-compose.yml").toFile());
        defaults = new StackOptions();
        new CommandLine(defaults).parseArgs();
    }

    static JsonNode service(String name) {
        JsonNode s = compose.path("services").path(name);
        assertFalse(s.isMissingNode(), "service " + name + " missing");
        return s;
    }

    @Test
    void hasEveryServiceWithPinnedImagesAndHealthchecks() {
        for (String name :
                List.of(
                        "postgres",
                        "kafka",
                        "kafka-topics",
                        "api",
                        "jobmanager",
                        "taskmanager",
                        "job-submit",
                        "analytics-job-submit",
                        "cdc",
                        "group-job-submit")) {
            JsonNode s = service(name);
            String image = s.path("image").asText("");
            if (!image.isEmpty()) {
                assertTrue(
                        image.matches("[a-z/]+:\\d[\\w.\\-]*"),
                        name + " image must be pinned: " + image);
            }
        }
        for (String name : List.of("postgres", "kafka", "api", "jobmanager", "cdc")) {
            assertFalse(
                    service(name).path("healthcheck").isMissingNode(),
                    name + " needs a healthcheck");
        }
        assertTrue(service("postgres").get("command").toString().contains("wal_level=logical"));
        assertEquals(
                "service_healthy", service("job-submit").at("/depends_on/api/condition").asText());
        assertEquals(
                "service_completed_successfully",
                service("api").at("/depends_on/kafka-topics/condition").asText());
    }

    @Test
    void publishesOnlyTheApiAndTheFlinkUiOnTheCodesDefaultPorts() {
        List<String> published = new ArrayList<>();
        compose.get("services")
                .fields()
                .forEachRemaining(
                        e ->
                                e.getValue()
                                        .path("ports")
                                        .forEach(
                                                p -> published.add(e.getKey() + "=" + p.asText())));
        assertEquals(
                List.of(
                        "api=" + ApiConfig.DEFAULT_PORT + ":" + ApiConfig.DEFAULT_PORT,
                        "jobmanager=" + defaults.flinkPort + ":" + defaults.flinkPort),
                published);
        assertEquals(
                Integer.toString(ApiConfig.DEFAULT_PORT),
                service("api").at("/environment/CHAKRAI_API_PORT").asText());
        assertTrue(
                service("kafka")
                        .at("/environment/KAFKA_LISTENERS")
                        .asText()
                        .contains(":" + defaults.kafkaPort));
        assertTrue(
                service("kafka")
                        .at("/environment/KAFKA_LISTENERS")
                        .asText()
                        .contains(":" + defaults.kafkaControllerPort));
        assertTrue(
                service("jobmanager")
                        .at("/environment/FLINK_PROPERTIES")
                        .asText()
                        .contains("rest.port: " + defaults.flinkPort));
    }

    @Test
    void usesOnlyConfigurationKeysTheApiReads() {
        service("api")
                .get("environment")
                .fieldNames()
                .forEachRemaining(
                        k ->
                                assertTrue(
                                        ApiConfig.ENV_KEYS.contains(k),
                                        k + " is not read by ApiConfig"));
        assertEquals(
                Topics.READINGS, service("api").at("/environment/CHAKRAI_READINGS_TOPIC").asText());
    }

    /** The topic script creates exactly Topics.OWN, partitioned and kept as the stack does. */
    @Test
    void createsTheTopicsTheStackUsesPartitionedAndKeptAsItDoes() {
        String script = service("kafka-topics").get("command").get(0).asText();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("for t in ([^;]+);").matcher(script);
        assertTrue(m.find(), script);
        List<String> created = List.of(m.group(1).trim().split("\\s+"));
        List<String> expected = new ArrayList<>();
        for (var t : EmbeddedStack.topics(defaults.partitions, (short) 1)) {
            expected.add(
                    t.name() + ":" + t.numPartitions() + ":" + t.configs().get("retention.ms"));
        }
        assertEquals(expected, created);
    }

    /** The CDC service (which depends on nothing of ours) publishes the tables Topics names. */
    @Test
    void theCdcServicesTopicsAreTheOnesTopicsNames() {
        assertEquals(Topics.CDC_PREFIX, io.chakrai.cdc.CdcService.TOPIC_PREFIX);
        assertEquals(Topics.CDC_TABLES, io.chakrai.cdc.CdcService.TABLES);
        List<String> named =
                List.of(
                        Topics.GROUPS,
                        Topics.GROUP_PARTICIPANTS,
                        Topics.GROUP_MESSAGES,
                        Topics.ESCALATIONS,
                        Topics.CONTENT_USAGE,
                        Topics.STRESS_ANSWERS,
                        Topics.ERASED_USERS);
        assertEquals(
                Topics.CDC_TABLES.stream().map(t -> Topics.CDC_PREFIX + ".public." + t).toList(),
                named);
    }

    @Test
    void submitsTheAnalyticsJobWithArgumentsItsThreeGraphsAccept() {
        List<String> cmd = new ArrayList<>();
        service("analytics-job-submit").get("command").forEach(a -> cmd.add(a.asText()));
        assertEquals(
                io.chakrai.jobs.analytics.AnalyticsJob.class.getName(),
                cmd.get(cmd.indexOf("--class") + 1));
        io.chakrai.jobs.config.AnalyticsOptions cfg =
                io.chakrai.jobs.config.AnalyticsOptions.parse(
                        cmd.subList(cmd.indexOf("/opt/chakrai/chakrai-jobs.jar") + 1, cmd.size())
                                .toArray(String[]::new));
        assertEquals("kafka:9092", cfg.source().kafkaBootstrap);
        assertEquals(Topics.READINGS, cfg.source().readingsTopic);
        assertEquals(Topics.PREDICTIONS, cfg.stress().predictionsTopic);
        assertEquals(
                Topics.PREDICTIONS,
                service("api").at("/environment/CHAKRAI_PREDICTIONS_TOPIC").asText());
        assertEquals(Topics.CONTENT_USAGE, cfg.content().usageTopic);
        assertEquals(
                "service_healthy",
                service("analytics-job-submit").at("/depends_on/cdc/condition").asText(),
                "its graphs read the content-usage change stream");
        assertTrue(
                ApiConfig.DEFAULT_PIPELINE_JOBS.contains(
                        io.chakrai.jobs.analytics.AnalyticsJob.NAME + ":" + cfg.groupId()),
                "/health watches the job and its consumer group");
    }

    @Test
    void runsCdcAfterTheMigrationsAndSubmitsTheGroupJobWithArgumentsItAccepts() {
        assertEquals("service_healthy", service("cdc").at("/depends_on/api/condition").asText());
        assertEquals(
                "kafka:9092", service("cdc").at("/environment/CHAKRAI_KAFKA_BOOTSTRAP").asText());
        assertTrue(Files.exists(ROOT.resolve("cdc/Dockerfile")));
        List<String> cmd = new ArrayList<>();
        service("group-job-submit").get("command").forEach(a -> cmd.add(a.asText()));
        assertEquals(
                io.chakrai.jobs.groups.GroupDynamicsJob.class.getName(),
                cmd.get(cmd.indexOf("--class") + 1));
        io.chakrai.jobs.config.GroupOptions cfg = new io.chakrai.jobs.config.GroupOptions();
        new CommandLine(cfg)
                .parseArgs(
                        cmd.subList(cmd.indexOf("/opt/chakrai/chakrai-jobs.jar") + 1, cmd.size())
                                .toArray(String[]::new));
        assertEquals(Topics.GROUP_MESSAGES, cfg.messagesTopic);
        assertTrue(
                ApiConfig.DEFAULT_PIPELINE_JOBS.contains(
                        io.chakrai.jobs.groups.GroupDynamicsJob.NAME
                                + ":"
                                + cfg.groupId
                                + ":"
                                + cfg.messagesTopic),
                "/health watches the job on its own topic");
    }

    @Test
    void submitsTheIngestionJobJarWithArgumentsTheJobAccepts() throws Exception {
        List<String> cmd = new ArrayList<>();
        service("job-submit").get("command").forEach(a -> cmd.add(a.asText()));
        assertEquals("io.chakrai.jobs.ingest.IngestionJob", cmd.get(cmd.indexOf("--class") + 1));
        int jar = cmd.indexOf("/opt/chakrai/chakrai-jobs.jar");
        IngestionOptions cfg = new IngestionOptions();
        new CommandLine(cfg).parseArgs(cmd.subList(jar + 1, cmd.size()).toArray(String[]::new));
        assertEquals("kafka:9092", cfg.source.kafkaBootstrap);
        assertEquals(Topics.READINGS, cfg.source.readingsTopic);
        assertEquals(Topics.DEAD_LETTERS, cfg.source.deadLetterTopic);
        String mount = service("job-submit").get("volumes").get(0).asText();
        Path hostJar = ROOT.resolve(mount.substring(2, mount.indexOf(':')));
        // the jar the jobs module's shade plugin writes, named from its pom (`./mvnw test` has not
        // packaged it yet)
        org.w3c.dom.Document pom =
                javax.xml.parsers.DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(ROOT.resolve("jobs/pom.xml").toFile());
        javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        String built =
                xpath.evaluate("/project/artifactId", pom)
                        + "-"
                        + xpath.evaluate("/project/parent/version", pom)
                        + "-"
                        + xpath.evaluate("//shadedClassifierName", pom)
                        + ".jar";
        assertEquals(
                ROOT.resolve("jobs/target").resolve(built),
                hostJar,
                "the mounted job jar is what the build produces");
    }
}
