package io.chakrai.lab.crisis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the crisis-language split once, before any model is fitted: {@code test.tsv} (never read
 * by training or threshold search), {@code validation.tsv} (threshold and layer choices), {@code
 * train.tsv}, and their SHA-256 in {@code SHA256SUMS}. C-SSRS users are split within each level by
 * a keyed hash of their id (30 % test, 20 % validation), so no user's posts fall on two sides;
 * GoEmotions keeps its authors' own train / dev / test split (dev sampled); every CounselChat
 * question is test only, a corpus no model here ever sees.
 */
@Command(
        name = "crisis-split",
        mixinStandardHelpOptions = true,
        description = "Write the frozen split of the public crisis-language corpora (data/crisis).")
public final class CrisisSplitCommand implements Callable<Integer> {
    static final String SALT = "chakrai-crisis-split-v1";

    @Option(
            names = "--cssrs",
            defaultValue = "../shared/data/crisis/500_Reddit_users_posts_labels.csv")
    Path cssrs;

    @Option(
            names = "--goemotions",
            defaultValue = "/work/.mirror/goemotions",
            description =
                    "folder with train.tsv, dev.tsv, "
                            + "test.tsv and emotions.txt (google-research/goemotions/data)")
    Path goEmotions;

    @Option(
            names = "--counselchat",
            defaultValue = "/work/.mirror/counselchat/20200325_counsel_chat.csv")
    Path counselChat;

    @Option(names = "--out", defaultValue = "data/crisis")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, List<CrisisText>> split =
                split(
                        CrisisSources.cssrs(cssrs),
                        CrisisSources.goEmotions(goEmotions.resolve("train.tsv"), emotions()),
                        CrisisSources.goEmotions(goEmotions.resolve("dev.tsv"), emotions()),
                        CrisisSources.goEmotions(goEmotions.resolve("test.tsv"), emotions()),
                        CrisisSources.counselChat(counselChat));
        Files.createDirectories(out);
        StringBuilder sums = new StringBuilder();
        for (var e : split.entrySet()) {
            Path file = out.resolve(e.getKey() + ".tsv");
            List<String> lines = new ArrayList<>();
            lines.add("# source\tgroup\tlabel\tlevel\ttext");
            e.getValue().forEach(t -> lines.add(t.tsv()));
            Files.write(file, lines, StandardCharsets.UTF_8);
            sums.append(sha256(Files.readAllBytes(file)))
                    .append("  ")
                    .append(file.getFileName())
                    .append('\n');
            System.out.printf(
                    "%-10s %6d texts: %s%n",
                    e.getKey(),
                    e.getValue().size(),
                    e.getValue().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            t -> t.source() + "/" + t.label(),
                                            TreeMap::new,
                                            Collectors.counting())));
        }
        Files.writeString(out.resolve("SHA256SUMS"), sums);
        System.out.print(sums);
        return 0;
    }

    private List<String> emotions() throws IOException {
        return Files.readAllLines(goEmotions.resolve("emotions.txt")).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static Map<String, List<CrisisText>> split(
            List<CrisisText> cssrs,
            List<CrisisText> goTrain,
            List<CrisisText> goDev,
            List<CrisisText> goTest,
            List<CrisisText> counsel) {
        Map<String, List<CrisisText>> out = new LinkedHashMap<>();
        out.put("test", new ArrayList<>());
        out.put("validation", new ArrayList<>());
        out.put("train", new ArrayList<>());
        // C-SSRS: users in hash order within each level; the first 30 % test, the next 20 %
        // validation
        Map<String, String> userLevel = new TreeMap<>();
        cssrs.forEach(t -> userLevel.put(t.group(), t.level()));
        Map<String, String> side = new TreeMap<>();
        userLevel.entrySet().stream()
                .collect(
                        Collectors.groupingBy(
                                Map.Entry::getValue,
                                TreeMap::new,
                                Collectors.mapping(Map.Entry::getKey, Collectors.toList())))
                .forEach(
                        (level, users) -> {
                            users.sort(
                                    Comparator.comparing(
                                            u ->
                                                    sha256(
                                                            (SALT + "|" + u)
                                                                    .getBytes(
                                                                            StandardCharsets
                                                                                    .UTF_8))));
                            int test = (int) Math.round(users.size() * 0.3);
                            int validation = (int) Math.round(users.size() * 0.2);
                            for (int i = 0; i < users.size(); i++) {
                                side.put(
                                        users.get(i),
                                        i < test
                                                ? "test"
                                                : i < test + validation ? "validation" : "train");
                            }
                        });
        cssrs.forEach(t -> out.get(side.get(t.group())).add(t));
        out.get("test").addAll(goTest);
        out.get("test").addAll(counsel);
        out.get("validation").addAll(sample(goDev, 3_000));
        out.get("train").addAll(goTrain);
        return out;
    }

    /** {@code n} of {@code texts}, chosen by a keyed hash (the same every time). */
    static List<CrisisText> sample(List<CrisisText> texts, int n) {
        return texts.stream()
                .sorted(
                        Comparator.comparing(
                                t ->
                                        sha256(
                                                (SALT + "|" + t.group())
                                                        .getBytes(StandardCharsets.UTF_8))))
                .limit(n)
                .toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
