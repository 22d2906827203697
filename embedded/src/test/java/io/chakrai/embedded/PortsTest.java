package io.chakrai.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortNeverHandsOutTheSamePortTwice() {
        // The kernel reuses a closed ephemeral port readily: among a few thousand binds in a row
        // several come back; a broker once got one port for both of its listeners.
        Set<Integer> seen = new HashSet<>();
        int calls = 3_000;
        for (int i = 0; i < calls; i++) {
            seen.add(Ports.freePort());
        }
        assertEquals(calls, seen.size(), "ports handed out twice: " + (calls - seen.size()));
    }
}
