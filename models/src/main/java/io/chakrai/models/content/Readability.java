package io.chakrai.models.content;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flesch reading ease of English text (206.835 − 1.015 words/sentence − 84.6 syllables/word), with
 * syllables counted by vowel groups; headings, pause marks and form lines are left out. 60–70 is
 * plain English; the content aims for {@link #MIN}–{@link #MAX}: easy to follow when tired or
 * distressed.
 */
public final class Readability {
    public static final double MIN = 60;
    public static final double MAX = 100;
    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z'’-]*");
    private static final Pattern VOWELS = Pattern.compile("[aeiouy]+");

    private Readability() {}

    /** Spoken words (for duration): headings, pause marks and blanks left out. */
    public static int words(String text) {
        int n = 0;
        Matcher m = WORD.matcher(prose(text));
        while (m.find()) {
            n++;
        }
        return n;
    }

    public static double fleschReadingEase(String text) {
        String prose = prose(text);
        int sentences = Math.max(1, prose.split("[.!?]+(\\s|$)").length);
        int words = 0;
        int syllables = 0;
        Matcher m = WORD.matcher(prose);
        while (m.find()) {
            words++;
            syllables += syllables(m.group());
        }
        if (words == 0) {
            return 100;
        }
        return 206.835 - 1.015 * words / sentences - 84.6 * syllables / (double) words;
    }

    static int syllables(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (w.length() <= 3) {
            return 1;
        }
        w = w.replaceAll("(?:[^laeiouy]es|ed|[^laeiouy]e)$", "").replaceAll("^y", "");
        Matcher m = VOWELS.matcher(w);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return Math.max(1, n);
    }

    static String prose(String text) {
        return text.replaceAll("(?m)^#+ .*$", " ")
                .replaceAll("\\[pause \\d+ s]", " ")
                .replaceAll("_+", " ")
                .replaceAll("\\(0–100\\): *", " ")
                .replaceAll("\\[ ]", " ");
    }
}
