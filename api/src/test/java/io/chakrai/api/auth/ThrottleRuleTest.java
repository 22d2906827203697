package io.chakrai.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleRuleTest {
    @Test
    void freeTriesThenLocksThatDoubleUpToTheCap() {
        ThrottleRule r = ThrottleRule.ACCOUNT;
        for (int f = 0; f <= 5; f++) {
            assertEquals(Duration.ZERO, r.lockAfter(f), "failure " + f);
        }
        assertEquals(Duration.ofSeconds(1), r.lockAfter(6));
        assertEquals(Duration.ofSeconds(2), r.lockAfter(7));
        assertEquals(Duration.ofSeconds(4), r.lockAfter(8));
        assertEquals(Duration.ofSeconds(512), r.lockAfter(15));
        assertEquals(Duration.ofMinutes(15), r.lockAfter(16), "capped");
        assertEquals(Duration.ofMinutes(15), r.lockAfter(10_000), "no overflow");
    }

    @Test
    void anAddressGetsMoreFreeTriesThanAnAccount() {
        assertEquals(Duration.ZERO, ThrottleRule.ADDRESS.lockAfter(20));
        assertEquals(Duration.ofSeconds(1), ThrottleRule.ADDRESS.lockAfter(21));
    }
}
