package io.chakrai.api.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ids an instance remembers (delivered, alerted, helped): bounded, the first seen forgotten
 * first.
 */
class GroupDeliveryTest {
    @Test
    void theFirstSeenIsForgottenFirstEvenWhenItIsTheLargest() {
        Set<Long> ids = GroupDelivery.remembered();
        long raisedAgain = 1_000_000_000L; // an escalation raised again: a large key seen first
        assertTrue(ids.add(raisedAgain));
        for (long i = 1; i <= 100_000; i++) {
            assertTrue(ids.add(i));
        }
        assertEquals(100_000, ids.size());
        assertFalse(ids.contains(raisedAgain), "the first seen is gone");
        assertTrue(ids.contains(1L), "the smallest, seen later, is kept");
        assertFalse(ids.add(1L), "a remembered id is not new");
        assertTrue(ids.add(raisedAgain), "a forgotten one is new again");
        assertFalse(ids.contains(1L), "and the next oldest made room");
    }
}
