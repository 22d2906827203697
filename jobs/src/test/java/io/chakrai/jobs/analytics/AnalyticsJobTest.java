package io.chakrai.jobs.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chakrai.jobs.config.AnalyticsOptions;
import io.chakrai.jobs.config.ContentOptions;
import io.chakrai.jobs.config.RiskOptions;
import io.chakrai.jobs.config.StressOptions;
import io.chakrai.jobs.io.ReadingSerializer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** One argument list for three graphs, and one readings source under them. */
class AnalyticsJobTest {
    static final String[] NO_DATABASE = {
        "--db-url", "jdbc:postgresql://127.0.0.1:1/none", "--kafka-bootstrap", "127.0.0.1:1"
    };

    @Test
    void eachGraphTakesItsOwnOptionsAndAllShareTheSourceOnes() {
        AnalyticsOptions o =
                AnalyticsOptions.parse(
                        "--kafka-bootstrap",
                        "kafka-1:9092",
                        "--explore",
                        "0.3",
                        "--day-close-delay-min=45",
                        "--usage-topic",
                        "usage",
                        "--idleness-s",
                        "7");
        assertEquals(AnalyticsOptions.DEFAULT_GROUP, o.groupId());
        assertEquals(0.3, o.stress().explore);
        assertEquals(45, o.risk().dayCloseDelayMinutes);
        assertEquals("usage", o.stress().usageTopic);
        assertEquals("usage", o.content().usageTopic);
        for (var source : List.of(o.stress().source, o.risk().source, o.content().source)) {
            assertEquals("kafka-1:9092", source.kafkaBootstrap);
            assertEquals(7, source.idlenessSeconds);
        }
        assertEquals("mine", AnalyticsOptions.parse("--group-id", "mine").groupId());
        assertEquals(
                "mine-stress-usage", AnalyticsOptions.parse("--group-id=mine").stressUsageGroup());
        assertEquals("mine-answers", AnalyticsOptions.parse("--group-id=mine").answersGroup());
        assertEquals(
                "mine-content-usage",
                AnalyticsOptions.parse("--group-id=mine").contentUsageGroup());
    }

    /**
     * The embedded stack builds its options apart, the stress options keeping their own group: the
     * answers are read as that group's, as they were before the analytics job had options of its
     * own (a renamed group would start from the earliest offset after a fresh start).
     */
    @Test
    void answersAreReadAsTheStressOptionsGroup() {
        StressOptions stress = new StressOptions();
        new picocli.CommandLine(stress).parseArgs();
        AnalyticsOptions o =
                new AnalyticsOptions(
                        AnalyticsOptions.DEFAULT_GROUP,
                        stress,
                        new RiskOptions(),
                        new ContentOptions());
        assertEquals("chakrai-stress-answers", o.answersGroup());
        assertEquals("chakrai-analytics-stress-usage", o.stressUsageGroup());
    }

    @Test
    void refusesWhatNoneOfTheJobsTakesAndABackfill() {
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AnalyticsOptions.parse("--explore", "0.2", "--exlpore=0.3"));
        assertTrue(unknown.getMessage().contains("--exlpore=0.3"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnalyticsOptions.parse("--bounded"));
    }

    @Test
    void readsAndParsesTheReadingsOnceForAllThreeGraphs() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AnalyticsJob.buildFrom(env, AnalyticsOptions.parse(NO_DATABASE));
        StreamGraph graph = env.getStreamGraph();
        graph.getJobGraph(); // refuses two operators with one id
        Set<String> uids =
                graph.getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .collect(Collectors.toSet());
        List<String> readingSources =
                graph.getStreamNodes().stream()
                        .map(StreamNode::getOperatorName)
                        .filter(n -> n.contains("biometric.readings"))
                        .toList();
        assertEquals(1, readingSources.size(), readingSources.toString());
        assertTrue(
                uids.containsAll(
                        Set.of(
                                "analytics-source",
                                "analytics-parse",
                                "stress-minutes",
                                "episode-tracker",
                                "risk-sink",
                                "risk-scores-sink",
                                "content-before-after",
                                "content-effectiveness-sink")),
                uids.toString());
        // the parsed readings cross to the three keyed graphs by the compact serializer
        StreamNode parse =
                graph.getStreamNodes().stream()
                        .filter(n -> "analytics-parse".equals(n.getTransformationUID()))
                        .findFirst()
                        .orElseThrow();
        assertEquals(3, parse.getOutEdges().size(), parse.getOutEdges().toString());
        assertSame(ReadingSerializer.INSTANCE, parse.getTypeSerializerOut());
    }
}
