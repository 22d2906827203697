package io.chakrai.models.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.models.Json;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The built-in generator: Pebble templates (inheritance from {@code content/base.peb}, macros from
 * {@code content/macros.peb}) over the reviewed building blocks of {@code content/blocks-v1.json},
 * personalised from the person's own data, sized to the length asked for. Structures: a breathing
 * practice or body scan (settle, intention, anchor, guided attention, returning without judgement,
 * close); a CBT thought record, behavioural activation or worry-time worksheet; a story whose
 * protagonist meets the person's own situation. Thread-safe; variation comes from the random
 * generator passed per call.
 */
public final class ContentGenerator {
    public static final String NAME = "built-in templates " + "blocks-v1";

    /**
     * Words a minute: a guided meditation is spoken slowly, a story read calmly, a worksheet read.
     */
    static final double MEDITATION_WPM = 100;

    static final double STORY_WPM = 140;
    static final double READING_WPM = 180;

    private final PebbleEngine engine;
    private final JsonNode blocks;

    public ContentGenerator() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setSuffix("");
        this.engine =
                new PebbleEngine.Builder()
                        .loader(loader)
                        .autoEscaping(false)
                        .strictVariables(true)
                        .newLineTrimming(false)
                        .build();
        try (InputStream in =
                ContentGenerator.class.getResourceAsStream("/content/blocks-v1.json")) {
            this.blocks = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the content building blocks cannot be read", e);
        }
    }

    /** The length range each type accepts, in minutes. */
    public static int[] minutesRange(ContentType type) {
        return switch (type) {
            case MEDITATION -> new int[] {3, 60};
            case WORKSHEET -> new int[] {10, 60};
            case STORY -> new int[] {3, 15};
        };
    }

    public Generated generate(ContentType type, Personalisation p, RandomGenerator random) {
        return switch (type) {
            case MEDITATION -> meditation(p, random);
            case WORKSHEET -> worksheet(p, random);
            case STORY -> story(p, random);
        };
    }

    // ---- meditation ----

    Generated meditation(Personalisation p, RandomGenerator r) {
        List<Map<String, String>> used = new ArrayList<>();
        boolean breath =
                p.triggers().contains("heart_rate_elevated")
                        || p.hrvFalling()
                        || (!p.shortSleep() && r.nextBoolean());
        if (p.triggers().contains("heart_rate_elevated")) {
            used.add(
                    why(
                            "a breathing practice with long out-breaths",
                            "your stress episodes often start with a raised heart rate"));
        } else if (p.hrvFalling()) {
            used.add(
                    why(
                            "a slow breathing practice",
                            "your heart-rate variability has been falling"));
        } else if (p.shortSleep()) {
            used.add(why("a body scan to wind down", "you have been sleeping less than you need"));
        }
        String personal = timeOfDayLine(p, used);
        String focus = focusWords(p);
        String title =
                (breath ? "Breathing space" : "Body scan")
                        + (focus.isEmpty() ? "" : ": " + capitalise(focus))
                        + " ("
                        + p.minutes()
                        + " min)";
        JsonNode m = blocks.get("meditation");
        List<String> anchor = pick(m.get(breath ? "anchor_breath" : "anchor_body"), 2, r);
        List<String> pool = strings(m.get(breath ? "attention_breath" : "attention_body"));
        int target = p.minutes() * 60;
        // fewer cues and longer silences for the experienced
        double pausePerCue =
                switch (p.difficulty()) {
                    case 1 -> 40;
                    case 2 -> 60;
                    default -> 90;
                };
        // a short practice keeps one line where a longer one has two, and shorter silences around
        // them
        boolean brief = target <= 300;
        List<String> settle = pick(m.get("settle"), brief ? 1 : 2, r);
        String intention = one(m.get("intention"), r);
        String wandering = one(m.get("wandering"), r);
        List<String> close = pick(m.get("close"), brief ? 1 : 2, r);
        if (brief) {
            anchor = anchor.subList(0, 1);
        }
        String whyLine =
                breath
                        ? "A few minutes of slow breathing, with time between the cues to simply breathe."
                        : "A slow journey of attention through the body, with time between the cues to simply notice.";
        int settlePause = brief ? 5 : 10;
        int anchorPause = brief ? 8 : 15;
        int closePause = brief ? 5 : 10;
        int fixedPauses =
                (settle.size() + 1) * settlePause
                        + (anchor.size() + 1) * anchorPause
                        + close.size() * closePause;
        int cues =
                (int)
                        Math.max(
                                brief ? 2 : 3,
                                Math.min(
                                        60,
                                        Math.round(
                                                (target - fixedPauses - 45) / (pausePerCue + 6))));
        List<String> attention = cycle(pool, cues, r);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("title", title);
        ctx.put("why", whyLine);
        ctx.put("settle", settle);
        ctx.put("intention", intention);
        ctx.put("personal", personal == null ? "" : personal);
        ctx.put("anchor", anchor);
        ctx.put("attention", attention);
        ctx.put("wandering", wandering);
        ctx.put("close", close);
        ctx.put("settlePause", settlePause);
        ctx.put("anchorPause", anchorPause);
        ctx.put("closePause", closePause);
        ctx.put("attentionPause", 0);
        // speech first, then the silences between the guided cues fill the time asked for
        String draft = render("content/meditation.peb", ctx);
        double speech = Readability.words(draft) / MEDITATION_WPM * 60;
        int attentionPause =
                (int)
                        Math.max(
                                5,
                                Math.min(600, Math.round((target - speech - fixedPauses) / cues)));
        ctx.put("attentionPause", attentionPause);
        String text = render("content/meditation.peb", ctx);
        int estimate = (int) Math.round(speech + fixedPauses + (double) attentionPause * cues);
        goals(p, used);
        return new Generated(
                ContentType.MEDITATION,
                breath ? "breath" : "body_scan",
                title,
                text,
                estimate,
                used,
                conditions(p),
                goalsOf(
                        p,
                        breath
                                ? "calm the body with slow breathing"
                                : "notice and release tension"),
                p.difficulty(),
                NAME);
    }

    // ---- worksheets ----

    Generated worksheet(Personalisation p, RandomGenerator r) {
        List<Map<String, String>> used = new ArrayList<>();
        String f =
                (p.focus() == null ? "" : p.focus() + " ")
                        + String.join(" ", p.goals()).toLowerCase(Locale.ROOT);
        String variant;
        if (f.matches("(?s).*\\b(?:worr\\w*|anxi\\w*|overthink\\w*|rumina\\w*)\\b.*")) {
            variant = "worry_time";
            used.add(why("a worry-time worksheet", "you asked about worry"));
        } else if (f.matches(
                "(?s).*\\b(?:motivat\\w*|energy|low mood|bed|stuck|activit\\w*|lonel\\w*)\\b.*")) {
            variant = "behavioural_activation";
            used.add(
                    why(
                            "a behavioural activation worksheet",
                            "you asked about low mood or energy"));
        } else if (f.matches(
                "(?s).*\\b(?:thought|thinking|self-critic\\w*|negative|criticis\\w*)\\b.*")) {
            variant = "thought_record";
            used.add(why("a thought record", "you asked about difficult thoughts"));
        } else if (p.riskFactors().contains("anxiety_symptoms_gad7")) {
            variant = "worry_time";
            used.add(why("a worry-time worksheet", "your latest check-in showed anxiety"));
        } else if (p.riskFactors().contains("low_activity")
                || p.riskFactors().contains("depressive_symptoms_phq9")) {
            variant = "behavioural_activation";
            used.add(
                    why(
                            "a behavioural activation worksheet",
                            p.riskFactors().contains("low_activity")
                                    ? "your activity has been low"
                                    : "your latest check-in showed low mood"));
        } else {
            variant = "thought_record";
        }
        Map<String, Double> weights =
                switch (variant) {
                    case "worry_time" ->
                            ordered("choose", 1, "postpone", 2, "act", 3, "release", 2);
                    case "behavioural_activation" ->
                            ordered("values", 2, "activities", 3, "schedule", 2, "review", 2);
                    default ->
                            ordered(
                                    "situation",
                                    2,
                                    "thoughts",
                                    2,
                                    "evidenceFor",
                                    2,
                                    "evidenceAgainst",
                                    3,
                                    "balanced",
                                    2);
                };
        String focus = focusWords(p);
        String title =
                switch (variant) {
                            case "worry_time" -> "Worry time";
                            case "behavioural_activation" -> "Small steps: planning activities";
                            default -> "Thought record";
                        }
                        + (focus.isEmpty() ? "" : ": " + capitalise(focus));
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("title", title);
        JsonNode ws = blocks.get("worksheet");
        ctx.put("why", one(ws.get("intro"), r));
        ctx.put("situationPrompt", one(ws.get("situation"), r));
        ctx.put("againstPrompt", one(ws.get("against"), r));
        ctx.put("traps", pick(ws.get("traps"), ws.get("traps").size(), r));
        String line = timeOfDayLine(p, used);
        ctx.put(
                "situationHint",
                line == null ? "Pick one recent moment." : line + " Pick one such moment.");
        ctx.put(
                "activityHint",
                p.groupThemes().isEmpty()
                        ? ""
                        : "Your group's goals may give ideas: "
                                + String.join(", ", p.groupThemes())
                                + ".");
        if (!p.groupThemes().isEmpty()) {
            used.add(why("activity ideas from your group's goals", "the groups you are in"));
        }
        ctx.put(
                "timeHint",
                p.episodeTime() == null
                        ? ""
                        : "Your stress tends to build in the "
                                + p.episodeTime()
                                + ", so choose a time well before that.");
        int scaleSeconds = 60 * (variant.equals("worry_time") ? 1 : 2);
        ctx.put("minutes", Map.of());
        // the parts' minutes share what is left of the time asked for once the reading is done
        Map<String, Integer> zero = new LinkedHashMap<>();
        weights.keySet().forEach(k -> zero.put(k, 1));
        ctx.put("minutes", zero);
        String template =
                "content/worksheet-"
                        + switch (variant) {
                            case "worry_time" -> "worry-time";
                            case "behavioural_activation" -> "activation";
                            default -> "thought-record";
                        }
                        + ".peb";
        double reading = Readability.words(render(template, ctx)) / READING_WPM * 60;
        int writingMinutes =
                (int)
                        Math.max(
                                weights.size(),
                                Math.round((p.minutes() * 60 - reading - scaleSeconds) / 60));
        Map<String, Integer> minutes = apportion(weights, writingMinutes);
        ctx.put("minutes", minutes);
        String text = render(template, ctx);
        int estimate =
                (int)
                        Math.round(
                                reading
                                        + scaleSeconds
                                        + 60.0
                                                * minutes.values().stream()
                                                        .mapToInt(Integer::intValue)
                                                        .sum());
        goals(p, used);
        return new Generated(
                ContentType.WORKSHEET,
                variant,
                title,
                text,
                estimate,
                used,
                conditions(p),
                goalsOf(
                        p,
                        switch (variant) {
                            case "worry_time" -> "spend less of the day worrying";
                            case "behavioural_activation" -> "do more of what matters";
                            default -> "see difficult thoughts more fairly";
                        }),
                p.difficulty(),
                NAME);
    }

    /**
     * Whole minutes in proportion to the weights, summing exactly to {@code total} (largest
     * remainders).
     */
    static Map<String, Integer> apportion(Map<String, Double> weights, int total) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Integer> out = new LinkedHashMap<>();
        List<Map.Entry<String, Double>> rest = new ArrayList<>();
        int given = 0;
        for (var e : weights.entrySet()) {
            double exact = total * e.getValue() / sum;
            int whole = Math.max(1, (int) Math.floor(exact));
            out.put(e.getKey(), whole);
            given += whole;
            rest.add(Map.entry(e.getKey(), exact - Math.floor(exact)));
        }
        rest.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (int i = 0; given < total; i = (i + 1) % rest.size()) {
            out.merge(rest.get(i).getKey(), 1, Integer::sum);
            given++;
        }
        return out;
    }

    // ---- stories ----

    static final String[] OPENERS = {
        "The next morning,",
        "Later that week,",
        "One evening,",
        "On the bus home,",
        "After a long day,",
        "A few days later,",
        "Early on Saturday,",
        "In the middle of a busy afternoon,",
        "That night,",
        "Some time later,"
    };
    static final String[] REFLECTIONS = {
        "It did not fix everything, but it made a little room to breathe.",
        "It was a small thing, and small things turned out to count.",
        "It helped to notice that the feeling came and went, like weather.",
        "It was easier than expected to begin, and the rest followed slowly.",
        "For a moment the day felt less heavy, and that moment was enough to keep going.",
        "It reminded them that they had got through hard days before.",
        "They noticed their shoulders drop, just a little.",
        "They decided to try it again the next day, and they did."
    };

    Generated story(Personalisation p, RandomGenerator r) {
        List<Map<String, String>> used = new ArrayList<>();
        JsonNode s = blocks.get("story");
        String name = one(s.get("names"), r);
        String place = one(s.get("places"), r);
        String focus = focusWords(p);
        String when = p.episodeTime() == null ? "some days" : "in the " + p.episodeTime();
        if (p.episodeTime() != null) {
            used.add(
                    why(
                            "the time of day the story's hard moments come",
                            p.episodes14d()
                                    + " stress episodes in the last 14 days, most in the "
                                    + p.episodeTime()));
        }
        String body =
                p.triggers().contains("heart_rate_elevated")
                        ? "their heart would start to race"
                        : p.shortSleep()
                                ? "they lay awake long after midnight"
                                : "everything felt heavier than it should";
        if (p.triggers().contains("heart_rate_elevated")) {
            used.add(
                    why(
                            "a racing heart in the story",
                            "your stress episodes often start with a raised heart rate"));
        } else if (p.shortSleep()) {
            used.add(
                    why(
                            "sleepless nights in the story",
                            "you have been sleeping less than you need"));
        }
        String problem =
                name
                        + " lived in "
                        + place
                        + ". "
                        + capitalise(when)
                        + ", "
                        + body
                        + ", and "
                        + (focus.isEmpty()
                                ? "it was hard to remember that it would pass."
                                : "it all seemed to come back to " + focus + ".")
                        + " "
                        + name
                        + " had tried to push through on their own for a long time.";
        List<String> resources = new ArrayList<>(strings(s.get("resources")));
        if (!p.groupThemes().isEmpty()) {
            resources.add(
                    0,
                    "the people in their group, who were working on "
                            + p.groupThemes().get(0)
                            + " too");
            used.add(why("a support group in the story", "the groups you are in"));
        }
        if (p.helpedBefore().contains("meditation")) {
            resources.add(0, "a few minutes of slow breathing, which had helped before");
            used.add(
                    why(
                            "a breathing practice in the story",
                            "breathing practices measurably helped you before"));
        }
        Collections.shuffle(
                resources.subList(
                        p.helpedBefore().contains("meditation") || !p.groupThemes().isEmpty()
                                ? 1
                                : 0,
                        resources.size()),
                new java.util.Random(r.nextLong()));
        String outcome = one(s.get("outcomes"), r);
        String title =
                "A story about " + (focus.isEmpty() ? "finding a little room to breathe" : focus);
        List<String> discoveries = new ArrayList<>();
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("title", title);
        ctx.put("why", "A short story to read slowly. It may feel familiar.");
        ctx.put("problem", problem);
        ctx.put("outcome", outcome);
        ctx.put("discoveries", discoveries);
        int target = p.minutes() * 60;
        int i = 0;
        while (Readability.words(render("content/story.peb", ctx)) / STORY_WPM * 60 < target * 0.97
                && discoveries.size() < 200) {
            String resource = resources.get(i % resources.size());
            discoveries.add(
                    OPENERS[r.nextInt(OPENERS.length)]
                            + " "
                            + name
                            + " found "
                            + resource
                            + ". "
                            + REFLECTIONS[r.nextInt(REFLECTIONS.length)]);
            i++;
        }
        String text = render("content/story.peb", ctx);
        int estimate = (int) Math.round(Readability.words(text) / STORY_WPM * 60);
        goals(p, used);
        return new Generated(
                ContentType.STORY,
                "story",
                title,
                text,
                estimate,
                used,
                conditions(p),
                goalsOf(p, "see a way through a hard stretch"),
                p.difficulty(),
                NAME);
    }

    // ---- shared ----

    private static String timeOfDayLine(Personalisation p, List<Map<String, String>> used) {
        if (p.episodeTime() == null || p.episodes14d() == 0) {
            return null;
        }
        used.add(
                why(
                        "when stress tends to build for you",
                        p.episodes14d()
                                + " stress episodes in the last 14 days, most in the "
                                + p.episodeTime()));
        return "Your stress has tended to build in the "
                + p.episodeTime()
                + "; this can be a moment to pause before it does.";
    }

    private static void goals(Personalisation p, List<Map<String, String>> used) {
        if (p.focus() != null && !p.focus().isBlank()) {
            used.add(why("the focus: " + p.focus(), "your request"));
        }
        if (!p.goals().isEmpty()) {
            used.add(why("the goals: " + String.join(", ", p.goals()), "your request"));
        }
    }

    private static List<String> conditions(Personalisation p) {
        List<String> out = new ArrayList<>();
        if (p.episodes14d() > 0 || p.triggers().contains("heart_rate_elevated")) {
            out.add("stress");
        }
        if (p.shortSleep()) {
            out.add("sleep");
        }
        if (p.riskFactors().contains("anxiety_symptoms_gad7")) {
            out.add("anxiety");
        }
        if (p.riskFactors().contains("depressive_symptoms_phq9")) {
            out.add("low_mood");
        }
        return out.isEmpty() ? List.of("general_wellbeing") : out;
    }

    private static List<String> goalsOf(Personalisation p, String own) {
        List<String> out = new ArrayList<>(p.goals());
        if (!out.contains(own)) {
            out.add(own);
        }
        return out;
    }

    private static Map<String, String> why(String what, String from) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("from", from);
        return m;
    }

    private static String focusWords(Personalisation p) {
        String f =
                p.focus() == null || p.focus().isBlank()
                        ? (p.goals().isEmpty() ? "" : p.goals().get(0))
                        : p.focus();
        f = f.strip().replaceAll("[\\p{Cntrl}{}%$<>#\\[\\]_]", " ").replaceAll("\\s+", " ");
        return f.length() > 60 ? f.substring(0, 60).strip() : f;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    private String render(String template, Map<String, Object> ctx) {
        try {
            PebbleTemplate t = engine.getTemplate(template);
            StringWriter w = new StringWriter();
            t.evaluate(w, ctx);
            // one blank line between paragraphs, none at the ends, no trailing spaces
            return w.toString().replaceAll("[ \t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip()
                    + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String one(JsonNode array, RandomGenerator r) {
        return array.get(r.nextInt(array.size())).asText();
    }

    private static List<String> pick(JsonNode array, int n, RandomGenerator r) {
        List<String> all = strings(array);
        Collections.shuffle(all, new java.util.Random(r.nextLong()));
        return all.subList(0, Math.min(n, all.size()));
    }

    /**
     * {@code n} items from the pool in order, shuffled once per round, so a long practice moves
     * through all of them.
     */
    private static List<String> cycle(List<String> pool, int n, RandomGenerator r) {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            List<String> round = new ArrayList<>(pool);
            if (out.size() > 0) {
                Collections.shuffle(round, new java.util.Random(r.nextLong()));
            }
            for (String s : round) {
                if (out.size() < n) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
