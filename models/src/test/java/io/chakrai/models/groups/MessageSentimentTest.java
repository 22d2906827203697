package io.chakrai.models.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MessageSentimentTest {
    private final MessageSentiment sentiment = new MessageSentiment();

    /**
     * On the 4,200 tweets rated by 20 people each that VADER's authors published (ICWSM 2014), the
     * correlation with the people's mean rating is what the paper reports for Python VADER (r =
     * 0.881).
     */
    @Test
    void agreesWithPeopleOnAPublicLabelledSet() throws IOException {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int n = 0;
        int agree = 0;
        try (InputStream in = getClass().getResourceAsStream("/sentiment/tweets_GroundTruth.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t", 3);
                if (f.length < 3) {
                    continue;
                }
                double x = sentiment.score(f[2]).sentiment();
                double y = Double.parseDouble(f[1]);
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                n++;
                int a = x > 0.05 ? 1 : x < -0.05 ? -1 : 0;
                int b = y > 0.5 ? 1 : y < -0.5 ? -1 : 0;
                agree += a == b ? 1 : 0;
            }
        }
        double r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        System.out.printf(
                Locale.ROOT,
                "sentiment on %d rated tweets: r = %.3f, three-way agreement %.3f%n",
                n,
                r,
                agree / (double) n);
        assertEquals(4_200, n);
        assertTrue(r >= 0.85, "correlation " + r);
    }

    @Test
    void theLexiconGapsAreFilled() {
        assertTrue(sentiment.score("everything feels pointless").sentiment() < -0.2);
        assertTrue(sentiment.score("I feel numb and exhausted").sentiment() < -0.2);
        assertEquals(
                sentiment.score("I am not happy").sentiment(),
                sentiment.score("I am NOT happy").sentiment(),
                0.3,
                "a negation in capitals negates");
        assertTrue(sentiment.score("I am NOT happy").sentiment() < 0);
    }

    @Test
    void intensityRisesWithStrengthAndShouting() {
        int calm = sentiment.score("I feel a bit sad").intensity();
        int strong = sentiment.score("I feel absolutely terrible and hopeless").intensity();
        int shouted = sentiment.score("I FEEL ABSOLUTELY TERRIBLE AND HOPELESS!!").intensity();
        assertTrue(calm < strong && strong <= shouted, calm + " " + strong + " " + shouted);
        for (String s : new String[] {"", "ok", "😂", "!!!!!!", "a".repeat(10_000)}) {
            MessageSentiment.Scores sc = sentiment.score(s);
            assertTrue(
                    sc.sentiment() >= -1
                            && sc.sentiment() <= 1
                            && sc.intensity() >= 1
                            && sc.intensity() <= 10,
                    s);
        }
    }
}
