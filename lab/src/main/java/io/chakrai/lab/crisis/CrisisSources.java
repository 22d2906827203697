package io.chakrai.lab.crisis;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Readers of the public corpora the crisis-language detector is trained and judged on, each as its
 * authors publish it:
 *
 * <ul>
 *   <li><b>Reddit C-SSRS</b> (Gaur et al. 2019, CC BY 4.0): 500 Reddit users, each rated by
 *       clinicians on the Columbia suicide-severity scale (Supportive, Indicator, Ideation,
 *       Behavior, Attempt); one row a user, their posts as a Python list literal. The label is the
 *       user's, not each post's;
 *   <li><b>GoEmotions</b> (Demszky et al. 2020, Apache-2.0): 58k short Reddit comments with the
 *       emotions raters saw in them; no crisis labels, so they serve as ordinary chat (sadness,
 *       grief, anger, jokes about dying);
 *   <li><b>CounselChat</b> (Bertagnolli 2020, MIT): 815 questions people sent to licensed
 *       therapists, with a topic.
 * </ul>
 */
public final class CrisisSources {
    /** The C-SSRS levels at which a person needs a human now. */
    public static final Set<String> AT_RISK = Set.of("Ideation", "Behavior", "Attempt");

    private CrisisSources() {}

    /** Every post of every user of the C-SSRS file, labelled with its user's level. */
    public static List<CrisisText> cssrs(Path csv) throws IOException {
        List<CrisisText> out = new ArrayList<>();
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<List<String>> rows =
                mapper.readerForListOf(String.class).readValues(Files.newBufferedReader(csv))) {
            boolean header = true;
            while (rows.hasNext()) {
                List<String> row = rows.next();
                if (header) {
                    header = false;
                    continue;
                }
                String user = row.get(0);
                String level = row.get(2).trim();
                for (String post : pythonStrings(row.get(1))) {
                    if (!post.isBlank()) {
                        out.add(
                                new CrisisText(
                                        "cssrs",
                                        user,
                                        AT_RISK.contains(level) ? 1 : 0,
                                        level,
                                        post.trim()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The strings of a Python list literal ({@code ['a', "b's"]}), escapes undone; a literal cut
     * off mid-string (as a few rows of the published file are) yields what was there.
     */
    static List<String> pythonStrings(String literal) {
        List<String> out = new ArrayList<>();
        int i = literal.indexOf('[') + 1;
        while (i < literal.length()) {
            char c = literal.charAt(i);
            if (c == '\'' || c == '"') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                while (j < literal.length() && literal.charAt(j) != c) {
                    char d = literal.charAt(j);
                    if (d == '\\' && j + 1 < literal.length()) {
                        char e = literal.charAt(++j);
                        s.append(
                                switch (e) {
                                    case 'n' -> '\n';
                                    case 't' -> '\t';
                                    default -> e;
                                });
                    } else {
                        s.append(d);
                    }
                    j++;
                }
                out.add(s.toString());
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    /**
     * GoEmotions' {@code train.tsv}, {@code dev.tsv} or {@code test.tsv}: text, emotion ids,
     * comment id; no header.
     */
    public static List<CrisisText> goEmotions(Path tsv, List<String> emotionNames)
            throws IOException {
        List<CrisisText> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length < 3) {
                continue;
            }
            List<String> emotions = new ArrayList<>();
            for (String id : f[1].split(",")) {
                emotions.add(emotionNames.get(Integer.parseInt(id.trim())));
            }
            out.add(new CrisisText("goemotions", f[2], 0, String.join("+", emotions), f[0]));
        }
        return out;
    }

    /**
     * CounselChat's questions (one row per answer in the file; each question once): its title and
     * its text.
     */
    public static List<CrisisText> counselChat(Path csv) throws IOException {
        List<CrisisText> out = new ArrayList<>();
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        Set<String> seen = new java.util.HashSet<>();
        try (MappingIterator<Map<String, String>> rows =
                mapper.readerFor(Map.class).with(schema).readValues(Files.newBufferedReader(csv))) {
            while (rows.hasNext()) {
                Map<String, String> r = rows.next();
                String id = "q" + r.get("questionID");
                if (!seen.add(id)) {
                    continue;
                }
                String topic = r.getOrDefault("topic", "");
                for (String text : new String[] {r.get("questionTitle"), r.get("questionText")}) {
                    if (text != null && !text.isBlank()) {
                        out.add(new CrisisText("counselchat", id, 0, topic, text.trim()));
                    }
                }
            }
        }
        return out;
    }
}
