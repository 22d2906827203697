package io.chakrai.models.groups;

import com.vader.sentiment.analyzer.SentimentAnalyzer;
import com.vader.sentiment.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sentiment and emotional intensity of a group message, computed when it is written: VADER (a
 * lexicon and rules made for short social-media text) through its Java port, with the gaps that
 * port has fixed once at start-up: words of low mood it lacks are added to its lexicon, and a
 * negation in capitals ("NOT") counts as one. {@code sentiment} is VADER's compound score in [−1,
 * 1]; {@code intensity} is 1–10 from how strong the compound is, raised by shouting (capitals,
 * "!!").
 */
public final class MessageSentiment {
    /**
     * Words of low mood and of recovery that VADER's lexicon lacks, with valences on its −4..4
     * scale.
     */
    static final Map<String, Float> ADDED =
            Map.ofEntries(
                    Map.entry("pointless", -2.0f),
                    Map.entry("meaningless", -1.9f),
                    Map.entry("numb", -1.5f),
                    Map.entry("exhausted", -1.6f),
                    Map.entry("overwhelmed", -1.7f),
                    Map.entry("burden", -2.0f),
                    Map.entry("trapped", -2.1f),
                    Map.entry("unbearable", -2.5f),
                    Map.entry("suicidal", -3.2f),
                    Map.entry("worthless", -2.6f),
                    Map.entry("empty", -1.4f),
                    Map.entry("drained", -1.5f),
                    Map.entry("burnt", -1.2f),
                    Map.entry("burnout", -1.8f),
                    Map.entry("relapsed", -1.8f),
                    Map.entry("self-harm", -2.8f),
                    Map.entry("grateful", 2.2f),
                    Map.entry("proud", 2.1f),
                    Map.entry("calmer", 1.6f),
                    Map.entry("recovering", 1.3f));

    private static final Pattern SHOUTED_NEGATION =
            Pattern.compile("\\b(NOT|NEVER|NO|DON'T|CAN'T|WON'T|ISN'T|AIN'T)\\b");
    private static volatile boolean patched;

    /** A message's scores. */
    public record Scores(double sentiment, int intensity) {}

    public MessageSentiment() {
        patch();
    }

    private static synchronized void patch() {
        if (patched) {
            return;
        }
        Map<String, Float> lexicon = Utils.getWordValenceDictionary();
        ADDED.forEach(lexicon::putIfAbsent);
        patched = true;
    }

    /**
     * Scores one message (thread-safe: VADER's analyser is made per call, its lexicon is shared and
     * read-only).
     */
    public Scores score(String text) {
        if (text == null || text.isBlank()) {
            return new Scores(0, 1);
        }
        String input =
                SHOUTED_NEGATION
                        .matcher(text)
                        .replaceAll(m -> m.group(1).toLowerCase(java.util.Locale.ROOT));
        float compound;
        try {
            SentimentAnalyzer a = new SentimentAnalyzer(input);
            a.analyze();
            Float c = a.getPolarity().get("compound");
            compound = c == null || c.isNaN() ? 0f : c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // the port trips over some token shapes (a lone punctuation run): such text carries no
            // sentiment
            compound = 0f;
        }
        double sentiment = Math.max(-1, Math.min(1, Math.round(compound * 100) / 100.0));
        return new Scores(sentiment, intensity(text, sentiment));
    }

    static int intensity(String text, double sentiment) {
        double strength = Math.abs(sentiment);
        long letters = text.chars().filter(Character::isLetter).count();
        long upper = text.chars().filter(Character::isUpperCase).count();
        if (letters >= 6 && upper > 0.6 * letters) {
            strength += 0.15;
        }
        if (text.contains("!!") || text.contains("?!")) {
            strength += 0.1;
        }
        return (int) Math.max(1, Math.min(10, 1 + Math.round(9 * Math.min(1, strength))));
    }
}
