package io.chakrai.lab.crisis;

import io.chakrai.models.groups.CrisisChatModel;
import io.chakrai.models.groups.CrisisDetector;
import io.chakrai.models.groups.CrisisModel;
import io.chakrai.models.groups.MiniLmEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./chakrai evaluate-crisis}: the shipped detector, and each combination of its layers, on a
 * split of {@code data/crisis} ({@code validation} while developing; {@code test} once, for the
 * report): people at risk found, per C-SSRS level, false alarms per source, all of it again on
 * chat-length texts (at most 30 words), with 95 % bootstrap intervals.
 */
@Command(
        name = "evaluate-crisis",
        mixinStandardHelpOptions = true,
        description =
                "Measure the crisis-language detector, layer by layer, on a split of data/crisis.")
public final class CrisisEvaluateCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data/crisis")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "validation",
            description = "validation (development) or test (the report)")
    String split;

    @Option(names = "--cache", defaultValue = "target/crisis-embeddings.bin")
    Path cache;

    @Option(
            names = "--layers",
            defaultValue = "false",
            description = "also every combination of layers")
    boolean layers;

    @Option(
            names = "--report",
            description =
                    "write the figures as a Markdown report here (docs/crisis-language-report.md)")
    Path report;

    /** What one configuration of the detector did on one split. */
    public record Figures(String name, Map<String, CrisisFigures.Rate> rates) {}

    @Override
    public Integer call() throws Exception {
        List<CrisisText> texts =
                new ArrayList<>(CrisisTrainCommand.read(data.resolve(split + ".tsv")));
        texts.addAll(chatSets(data, split));
        try (CachedEmbedder embedder = new CachedEmbedder(cache)) {
            Map<String, EnumSet<CrisisDetector.Layer>> configs = new LinkedHashMap<>();
            configs.put(
                    "production " + CrisisDetector.PRODUCTION,
                    EnumSet.copyOf(CrisisDetector.PRODUCTION));
            if (layers) {
                configs.put(
                        "rules only (before this model)",
                        EnumSet.of(CrisisDetector.Layer.RULES, CrisisDetector.Layer.TREND));
                configs.put(
                        "rules + meaning (before)",
                        EnumSet.of(
                                CrisisDetector.Layer.RULES,
                                CrisisDetector.Layer.MEANING,
                                CrisisDetector.Layer.TREND));
                configs.put("classifier only", EnumSet.of(CrisisDetector.Layer.CLASSIFIER));
                configs.put(
                        "rules + classifier",
                        EnumSet.of(CrisisDetector.Layer.RULES, CrisisDetector.Layer.CLASSIFIER));
                configs.put("all four", EnumSet.allOf(CrisisDetector.Layer.class));
            }
            List<CrisisText> team = teamSets(Path.of("models/src/test/resources/crisis"));
            List<Figures> all = new ArrayList<>();
            for (var c : configs.entrySet()) {
                CrisisDetector d =
                        new CrisisDetector(
                                embedder,
                                CrisisModel.shipped(),
                                CrisisChatModel.shipped(),
                                c.getValue());
                Figures f = measure(c.getKey(), d, texts);
                List<CrisisFigures.Scored> t = CrisisFigures.score(d, team);
                f.rates().put("team-written development sets: at risk held", rate(t, 1));
                f.rates().put("team-written development sets: not at risk held", rate(t, 0));
                print(f);
                all.add(f);
            }
            // cross-source: a model fitted on C-SSRS alone, judged on the corpora it never saw
            List<CrisisText> train =
                    CrisisTrainCommand.read(data.resolve("train.tsv")).stream()
                            .filter(x -> x.source().equals("cssrs"))
                            .toList();
            CrisisTraining.Fitted onlyCssrs = CrisisTraining.fit(train, embedder);
            CrisisDetector cross =
                    new CrisisDetector(
                            embedder,
                            new CrisisModel(
                                    onlyCssrs.weights(),
                                    onlyCssrs.bias(),
                                    CrisisModel.shipped().threshold(),
                                    null),
                            CrisisDetector.PRODUCTION);
            Figures crossFigures =
                    measure(
                            "fitted on C-SSRS alone (GoEmotions and CounselChat unseen)",
                            cross,
                            texts);
            print(crossFigures);
            all.add(crossFigures);
            double[] latency =
                    latency(
                            CrisisDetector.production(new MiniLmEmbedder()),
                            texts.stream().filter(CrisisText::chatLength).limit(2_000).toList());
            System.out.printf(
                    Locale.ROOT,
                    "latency a chat-length message, one thread, no cache: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    latency[0],
                    latency[1],
                    latency[2]);
            if (report != null) {
                java.nio.file.Files.writeString(report, markdown(split, all, latency));
                System.out.println("report written to " + report);
            }
        }
        return 0;
    }

    /**
     * The chat messages of a split: {@code chat-<split>.tsv} and any later set of it ({@code
     * chat-test-2.tsv}: the second blind chat test, frozen when the first had been read).
     */
    static List<CrisisText> chatSets(Path data, String split) throws java.io.IOException {
        List<CrisisText> out = new ArrayList<>();
        try (var files = java.nio.file.Files.list(data)) {
            for (Path f :
                    files.filter(
                                    p -> {
                                        String n = p.getFileName().toString();
                                        return n.equals("chat-" + split + ".tsv")
                                                || n.matches("chat-" + split + "-\\d+\\.tsv");
                                    })
                            .sorted()
                            .toList()) {
                out.addAll(CrisisTrainCommand.read(f));
            }
        }
        return out;
    }

    /**
     * The three sets the team wrote while building the rules (dev, challenge, "holdout"):
     * development data, one line a message.
     */
    static List<CrisisText> teamSets(Path dir) throws java.io.IOException {
        return teamSets(dir, List.of("dev", "challenge", "holdout"));
    }

    static List<CrisisText> teamSets(Path dir, List<String> sets) throws java.io.IOException {
        List<CrisisText> out = new ArrayList<>();
        for (String set : sets) {
            for (String line : java.nio.file.Files.readAllLines(dir.resolve(set + ".tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                out.add(
                        new CrisisText(
                                "team-" + set,
                                set + out.size(),
                                Integer.parseInt(f[0]),
                                f[1],
                                f[2]));
            }
        }
        return out;
    }

    static CrisisFigures.Rate rate(List<CrisisFigures.Scored> scored, int label) {
        List<List<Boolean>> outcomes =
                scored.stream()
                        .filter(x -> x.text().label() == label)
                        .map(x -> List.of(x.flagged()))
                        .toList();
        return CrisisFigures.rate(outcomes);
    }

    /** Milliseconds a message, as the API runs it: p50, p99, max (after a warm-up of 200). */
    static double[] latency(CrisisDetector d, List<CrisisText> texts) {
        for (int i = 0; i < Math.min(200, texts.size()); i++) {
            d.assess(texts.get(i).text(), List.of(), 0);
        }
        double[] ms = new double[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            long t0 = System.nanoTime();
            d.assess(texts.get(i).text(), List.of(), 0);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return new double[] {
            ms[ms.length / 2], ms[(int) Math.floor(ms.length * 0.99)], ms[ms.length - 1]
        };
    }

    static String markdown(String split, List<Figures> all, double[] latency) {
        StringBuilder b = new StringBuilder();
        b.append("# Crisis-language detector: figures on the ").append(split).append(" split\n\n");
        b.append("Written by `./chakrai evaluate-crisis --split ")
                .append(split)
                .append(" --layers --report …` on `data/crisis/")
                .append(split)
                .append(".tsv` and the chat sets `data/crisis/chat-")
                .append(split)
                .append(
                        "*.tsv`. Each cell: rate (hits/total, 95 % bootstrap interval over people, comments or ")
                .append(
                        "questions). Method and discussion: [crisis-language.md](crisis-language.md).\n\n");
        b.append("| figure |");
        all.forEach(f -> b.append(" ").append(f.name()).append(" |"));
        b.append("\n| --- |");
        all.forEach(f -> b.append(" --- |"));
        b.append("\n");
        for (String row : all.get(0).rates().keySet()) {
            b.append("| ")
                    .append(
                            row.trim().startsWith("rated") || row.startsWith("  ")
                                    ? "&nbsp;&nbsp;" + row.trim()
                                    : row)
                    .append(" |");
            all.forEach(
                    f ->
                            b.append(" ")
                                    .append(
                                            f.rates().containsKey(row)
                                                    ? f.rates().get(row).show()
                                                    : "")
                                    .append(" |"));
            b.append("\n");
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "%nLatency of the production detector on one thread, a chat-length message, MiniLM with no cache: "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (2,000 messages of the split).%n",
                        latency[0],
                        latency[1],
                        latency[2]));
        return b.toString();
    }

    static void print(Figures f) {
        System.out.println("== " + f.name());
        f.rates().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-52s %s%n", k, v.show()));
    }

    public static Figures measure(String name, CrisisDetector d, List<CrisisText> texts) {
        List<CrisisFigures.Scored> s = CrisisFigures.score(d, texts);
        Map<String, CrisisFigures.Rate> r = new LinkedHashMap<>();
        Predicate<CrisisText> cssrs = t -> t.source().equals("cssrs");
        Predicate<CrisisText> chat = CrisisText::chatLength;
        r.put("people at risk found (C-SSRS)", CrisisFigures.peopleFound(s, cssrs));
        for (String level : List.of("Ideation", "Behavior", "Attempt")) {
            r.put(
                    "  rated " + level,
                    CrisisFigures.peopleFound(s, cssrs.and(t -> t.level().equals(level))));
        }
        r.put(
                "people at risk found, chat-length posts only",
                CrisisFigures.peopleFound(s, cssrs.and(chat)));
        r.put("posts held of people not at risk (C-SSRS)", CrisisFigures.textsHeld(s, cssrs));
        r.put(
                "  rated Supportive",
                CrisisFigures.textsHeld(s, cssrs.and(t -> t.level().equals("Supportive"))));
        r.put(
                "  rated Indicator",
                CrisisFigures.textsHeld(s, cssrs.and(t -> t.level().equals("Indicator"))));
        r.put("  C-SSRS chat-length", CrisisFigures.textsHeld(s, cssrs.and(chat)));
        r.put("people not at risk with any post held", CrisisFigures.peopleHeld(s, cssrs));
        r.put(
                "GoEmotions comments held",
                CrisisFigures.textsHeld(s, t -> t.source().equals("goemotions")));
        r.put(
                "  GoEmotions chat-length",
                CrisisFigures.textsHeld(s, t -> t.source().equals("goemotions") && t.chatLength()));
        r.put(
                "CounselChat questions held",
                CrisisFigures.textsHeld(s, t -> t.source().equals("counselchat")));
        r.put(
                "  CounselChat chat-length",
                CrisisFigures.textsHeld(
                        s, t -> t.source().equals("counselchat") && t.chatLength()));
        r.put("all texts needing no human, held", CrisisFigures.textsHeld(s, t -> !t.chat()));
        r.put("  all chat-length", CrisisFigures.textsHeld(s, chat.and(t -> !t.chat())));
        r.put(
                "chat messages needing a human, held (labelled one by one)",
                CrisisFigures.peopleFound(s, CrisisText::chat));
        r.put("chat messages needing no human, held", CrisisFigures.textsHeld(s, CrisisText::chat));
        // each writer's set on its own where there are several (the first chat test, read while
        // the threshold was set, and the second, blind)
        List<String> writers =
                texts.stream()
                        .filter(CrisisText::chat)
                        .map(CrisisText::source)
                        .distinct()
                        .sorted()
                        .toList();
        if (writers.size() > 1) {
            for (String w : writers) {
                r.put(
                        "  " + w + ": needing a human, held",
                        CrisisFigures.peopleFound(s, t -> t.source().equals(w)));
                r.put(
                        "  " + w + ": needing no human, held",
                        CrisisFigures.textsHeld(s, t -> t.source().equals(w)));
            }
        }
        return new Figures(name, r);
    }

    static List<CrisisFigures.Scored> scoredFor(CrisisDetector d, List<CrisisText> texts) {
        return new ArrayList<>(CrisisFigures.score(d, texts));
    }
}
