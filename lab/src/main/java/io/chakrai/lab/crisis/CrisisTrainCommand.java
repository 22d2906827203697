package io.chakrai.lab.crisis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.CrisisModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./chakrai train-crisis}: fits the crisis detector's learned layer on {@code
 * data/crisis/train.tsv}, chooses its threshold on {@code validation.tsv} and the team's dev set
 * (recall first within a budget: the lowest threshold at which the whole production detector holds
 * at most 10 % of the chat-length texts needing no human in each source), and writes the model the
 * product ships. Never reads {@code test.tsv}.
 */
@Command(
        name = "train-crisis",
        mixinStandardHelpOptions = true,
        description =
                "Fit the crisis-language model on data/crisis/train.tsv and choose its threshold on validation.tsv.")
public final class CrisisTrainCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data/crisis")
    Path data;

    @Option(
            names = "--out",
            defaultValue =
                    "models/src/main/resources/io/chakrai/models/groups/" + CrisisModel.RESOURCE)
    Path out;

    @Option(names = "--cache", defaultValue = "target/crisis-embeddings.bin")
    Path cache;

    @Override
    public Integer call() throws Exception {
        List<CrisisText> train = read(data.resolve("train.tsv"));
        List<CrisisText> validation = new ArrayList<>(read(data.resolve("validation.tsv")));
        // the team's own development set: short chat lines, written here, so used for choices only,
        // never for claims
        validation.addAll(
                CrisisEvaluateCommand.teamSets(
                        Path.of("models/src/test/resources/crisis"), List.of("dev")));
        try (CachedEmbedder embedder = new CachedEmbedder(cache)) {
            CrisisTraining.Fitted f = CrisisTraining.fit(train, embedder);
            // the whole detector's outcome on validation at every threshold, from one pass
            CrisisDetector probe =
                    new CrisisDetector(
                            embedder,
                            new CrisisModel(f.weights(), f.bias(), 2, null),
                            CrisisDetector.PRODUCTION);
            List<double[]> parts = new ArrayList<>();
            for (CrisisText t : validation) {
                CrisisDetector.Result r = probe.assess(t.text(), List.of(), 0);
                parts.add(new double[] {r.flagged() ? 1 : 0, r.vetoed() ? 1 : 0, r.probability()});
            }
            // recall first, within a false-alarm budget: the lowest threshold at which, in every
            // source, no more than ALARMS of
            // the chat-length validation texts needing no human are held (the target: ten per cent)
            List<CrisisFigures.Rate[]> curve = new ArrayList<>();
            for (int k = 95; k >= 5; k--) {
                double t = k / 100.0;
                List<CrisisFigures.Scored> scored = new ArrayList<>();
                for (int i = 0; i < validation.size(); i++) {
                    double[] p = parts.get(i);
                    scored.add(
                            new CrisisFigures.Scored(
                                    validation.get(i), p[0] == 1 || p[2] >= t, p[2]));
                }
                double worst = 0;
                for (String source : List.of("cssrs", "goemotions", "team-dev")) {
                    worst =
                            Math.max(
                                    worst,
                                    CrisisFigures.textsHeld(
                                                    scored,
                                                    x ->
                                                            x.source().equals(source)
                                                                    && x.chatLength())
                                            .value());
                }
                curve.add(
                        new CrisisFigures.Rate[] {
                            CrisisFigures.peopleFound(scored, x -> x.source().equals("cssrs")),
                            new CrisisFigures.Rate(
                                    (int) Math.round(worst * 1000), 1000, worst, worst),
                            CrisisFigures.textsHeld(scored, x -> x.source().equals("cssrs")),
                            CrisisFigures.textsHeld(scored, x -> x.source().equals("goemotions")),
                            CrisisEvaluateCommand.rate(
                                    scored.stream()
                                            .filter(x -> x.text().source().startsWith("team"))
                                            .toList(),
                                    0),
                            CrisisEvaluateCommand.rate(
                                    scored.stream()
                                            .filter(x -> x.text().source().startsWith("team"))
                                            .toList(),
                                    1)
                        });
            }
            double chosen = Double.NaN;
            int pick = -1;
            for (int j = 0; j < curve.size(); j++) {
                if (curve.get(j)[1].value() <= ALARMS) {
                    chosen = (95 - j) / 100.0;
                    pick = j;
                }
            }
            System.out.println(
                    "threshold  people found  chat-length held (worst source)  C-SSRS posts held  GoEmotions held  team dev: held / found");
            for (int j = 0; j < curve.size(); j++) {
                CrisisFigures.Rate[] c = curve.get(j);
                if (j % 5 == 0 || j == pick) {
                    System.out.printf(
                            Locale.ROOT,
                            "%.2f%s  %s  %s  %s  %s  %s / %s%n",
                            (95 - j) / 100.0,
                            j == pick ? "*" : " ",
                            c[0].show(),
                            c[1].show(),
                            c[2].show(),
                            c[3].show(),
                            c[4].show(),
                            c[5].show());
                }
            }
            if (pick < 0) {
                throw new IllegalStateException(
                        "no threshold keeps the chat-length false alarms within " + ALARMS);
            }
            int most = curve.get(pick)[0].hits();
            ObjectNode model = Json.MAPPER.createObjectNode();
            ArrayNode w = model.putArray("weights");
            for (double x : f.weights()) {
                w.add(Math.round(x * 1e6) / 1e6);
            }
            model.put("bias", Math.round(f.bias() * 1e6) / 1e6);
            model.put("threshold", chosen);
            ObjectNode about = model.putObject("trained");
            about.put("at", Instant.now().toString());
            about.put(
                    "embedding",
                    "all-MiniLM-L6-v2 (quantised), langchain4j 1.19.0-beta29, on CrisisDetector.prepared(text)");
            about.put(
                    "fit",
                    "Smile logistic regression, lambda "
                            + CrisisTraining.LAMBDA
                            + ", per sentence, on the embedding, the embedding "
                            + "weighted by the shares of first- and second-person words, and "
                            + CrisisModel.EXTRA
                            + " counts (person, negation); positives: first-person sentences of people rated at risk that speak of death, suicide or self-harm "
                            + "(CrisisTraining.RISK_TALK); negatives: every sentence of people rated Supportive or Indicator, every GoEmotions comment");
            about.put("train", train.size() + " texts of data/crisis/train.tsv");
            about.put(
                    "threshold_chosen_on",
                    "validation.tsv and the team's dev set: the lowest threshold (0.05-0.95) at which the "
                            + "production detector holds at most "
                            + ALARMS
                            + " of the chat-length texts needing no human of each source (it finds "
                            + most
                            + " validation people at risk)");
            about.put("split_sha256", Files.readString(data.resolve("SHA256SUMS")).trim());
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), model);
            System.out.printf(Locale.ROOT, "threshold %.2f; model written to %s%n", chosen, out);
        }
        return 0;
    }

    /** The share of chat-length validation texts needing no human the threshold may hold. */
    static final double ALARMS = 0.10;

    static List<CrisisText> read(Path tsv) throws java.io.IOException {
        return Files.readAllLines(tsv).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(CrisisText::fromTsv)
                .toList();
    }

    static final EnumSet<CrisisDetector.Layer> ALL = EnumSet.allOf(CrisisDetector.Layer.class);
}
