package io.chakrai.models.content;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The long sweep of {@link ContentGeneratorTest} (about a minute: the crisis rules read every
 * generated piece whole), so `./mvnw test` stays a fast loop: a thousand random personalisations of
 * each kind, complete, safe, readable and the length asked. A failure prints the personalisation
 * and the text.
 */
class ContentSweepITCase {
    @Test
    void thousandsOfRandomPersonalisationsAreCompleteSafeReadableAndTheLengthAsked() {
        ContentGeneratorTest.sweep(
                new Random(20261130),
                1_000); // the 3,000 draws the unit test made before it was cut to 600
    }
}
