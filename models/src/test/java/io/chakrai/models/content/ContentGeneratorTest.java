package io.chakrai.models.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The built-in generator over hundreds of random personalisations (thousands in {@link
 * ContentSweepITCase}): every piece passes the safety check (no unfilled placeholder, every part of
 * its structure, nothing medical or unsafe), reads within the stated band (Flesch {@value
 * Readability#MIN}–{@value Readability#MAX}), and lasts within 15 % of what was asked.
 */
class ContentGeneratorTest {
    static final ContentGenerator GENERATOR = new ContentGenerator();
    static final String[] FOCUS = {
        null,
        "",
        "sleep",
        "work stress",
        "worry about money",
        "low mood and no energy",
        "negative thoughts about myself",
        "exams",
        "a breakup",
        "my {{ title }} {% raw %} ${x} focus",
        "loneliness in the evenings",
        "x".repeat(300),
        "panic on the train",
        "Ünïcödé and emoji 😊",
        "motivation to get out of bed"
    };
    static final String[] GOALS = {
        "sleep better",
        "feel calmer",
        "stop overthinking",
        "be kinder to myself",
        "get moving again",
        "handle deadlines",
        "reconnect with friends"
    };
    static final String[] TIMES = {null, "morning", "afternoon", "evening", "night"};
    static final String[] TRIGGERS = {"heart_rate_elevated", "hrv_depressed", "poor_sleep"};
    static final String[] FACTORS = {
        "short_sleep",
        "falling_hrv",
        "low_activity",
        "anxiety_symptoms_gad7",
        "depressive_symptoms_phq9",
        "frequent_stress_episodes"
    };

    static Personalisation random(Random r, ContentType type) {
        int[] range = ContentGenerator.minutesRange(type);
        List<String> goals = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            goals.add(GOALS[r.nextInt(GOALS.length)]);
        }
        List<String> triggers = new ArrayList<>();
        for (String t : TRIGGERS) {
            if (r.nextBoolean()) {
                triggers.add(t);
            }
        }
        List<String> factors = new ArrayList<>();
        for (String f : FACTORS) {
            if (r.nextInt(3) == 0) {
                factors.add(f);
            }
        }
        int episodes = r.nextInt(12);
        return new Personalisation(
                FOCUS[r.nextInt(FOCUS.length)],
                goals,
                range[0] + r.nextInt(range[1] - range[0] + 1),
                1 + r.nextInt(3),
                episodes,
                episodes == 0 ? null : TIMES[r.nextInt(TIMES.length)],
                triggers,
                r.nextBoolean(),
                r.nextBoolean(),
                factors,
                r.nextBoolean() ? List.of() : List.of(GOALS[r.nextInt(GOALS.length)]),
                r.nextBoolean() ? List.of() : List.of("meditation"));
    }

    @Test
    void randomPersonalisationsAreCompleteSafeReadableAndTheLengthAsked() {
        sweep(new Random(20261130), 100); // 1,000 of each kind: ContentSweepITCase (./mvnw verify)
    }

    /**
     * {@code perType} random personalisations of each kind, each checked; prints the range of what
     * it saw.
     */
    static void sweep(Random r, int perType) {
        int n = 0;
        double minRead = 1e9;
        double maxRead = -1e9;
        double worstDuration = 0;
        for (ContentType type : ContentType.values()) {
            for (int i = 0; i < perType; i++) {
                Personalisation p = random(r, type);
                Generated g = GENERATOR.generate(type, p, r);
                List<String> problems = SafetyCheck.problems(g);
                assertTrue(problems.isEmpty(), type + " " + p + ": " + problems + "\n" + g.text());
                double ease = Readability.fleschReadingEase(g.text());
                assertTrue(
                        ease >= Readability.MIN && ease <= Readability.MAX,
                        "reading ease " + ease + "\n" + g.text());
                double off =
                        Math.abs(g.estimatedSeconds() - p.minutes() * 60.0) / (p.minutes() * 60.0);
                assertTrue(
                        off <= 0.15,
                        type
                                + " asked "
                                + p.minutes()
                                + " min, estimated "
                                + g.estimatedSeconds()
                                + " s\n"
                                + p);
                assertFalse(
                        g.personalizations().isEmpty()
                                && (p.focus() != null && !p.focus().isBlank()),
                        "the focus is recorded");
                minRead = Math.min(minRead, ease);
                maxRead = Math.max(maxRead, ease);
                worstDuration = Math.max(worstDuration, off);
                n++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "content quality: %d pieces, all complete and safe; reading ease %.0f–%.0f; worst duration %.1f %% off%n",
                n,
                minRead,
                maxRead,
                worstDuration * 100);
    }

    @Test
    void twoRequestsRarelyReadTheSame() {
        Random r = new Random(7);
        Personalisation p = Personalisation.of("sleep", List.of("sleep better"), 10, 1);
        for (ContentType type : ContentType.values()) {
            Set<String> texts = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                texts.add(GENERATOR.generate(type, p, r).text());
            }
            assertTrue(texts.size() >= 15, type + ": " + texts.size() + " different of 20");
        }
    }

    @Test
    void personalisationUsesThePersonsOwnDataAndSaysSo() {
        Personalisation p =
                new Personalisation(
                        null,
                        List.of(),
                        10,
                        1,
                        6,
                        "evening",
                        List.of("heart_rate_elevated"),
                        false,
                        false,
                        List.of("anxiety_symptoms_gad7"),
                        List.of("calm my racing thoughts"),
                        List.of());
        Generated m = GENERATOR.generate(ContentType.MEDITATION, p, new Random(1));
        assertEquals("breath", m.variant(), "a raised heart rate gets a breathing practice");
        assertTrue(m.text().contains("evening"), m.text());
        assertTrue(
                m.personalizations().stream()
                        .anyMatch(x -> x.get("from").contains("6 stress episodes")),
                m.personalizations().toString());
        Generated w = GENERATOR.generate(ContentType.WORKSHEET, p, new Random(1));
        assertEquals("worry_time", w.variant(), "anxiety in the last check-in gets worry time");
        assertTrue(w.text().contains("evening, so choose a time well before that"), w.text());
        Generated s = GENERATOR.generate(ContentType.STORY, p, new Random(1));
        assertTrue(
                s.text().contains("heart would start to race")
                        && s.text().contains("calm my racing thoughts"),
                s.text());
        assertNotEquals(m.title(), w.title());
    }

    @Test
    void theSafetyCheckRefusesWhatMustNotReachAPerson() {
        Generated ok =
                GENERATOR.generate(
                        ContentType.STORY,
                        Personalisation.of("work", List.of(), 5, 1),
                        new Random(3));
        assertEquals(List.of(), SafetyCheck.problems(ok));
        for (String bad :
                new String[] {
                    "You have depression and should rest.",
                    "Take 50 mg before bed.",
                    "This practice cures anxiety.",
                    "Use this instead of your medication.",
                    "Hello {{ name }}.",
                    "Some people think about jumping off a bridge."
                }) {
            Generated g =
                    new Generated(
                            ok.type(),
                            ok.variant(),
                            ok.title(),
                            ok.text() + "\n" + bad,
                            ok.estimatedSeconds(),
                            ok.personalizations(),
                            ok.targetConditions(),
                            ok.therapeuticGoals(),
                            1,
                            "test");
            assertFalse(SafetyCheck.problems(g).isEmpty(), bad);
        }
        Generated cut =
                new Generated(
                        ok.type(),
                        ok.variant(),
                        ok.title(),
                        ok.text().replace("## What changed", "## Later"),
                        ok.estimatedSeconds(),
                        ok.personalizations(),
                        ok.targetConditions(),
                        ok.therapeuticGoals(),
                        1,
                        "test");
        assertTrue(SafetyCheck.problems(cut).contains("misses its part 'What changed'"));
    }
}
