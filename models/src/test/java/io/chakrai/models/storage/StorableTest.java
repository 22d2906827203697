package io.chakrai.models.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ordinaryTextInAnyScriptIsStorable() {
        assertTrue(Storable.textProblem("Schlaf war schlecht — 😴 睡眠 ñ").isEmpty());
        assertTrue(Storable.textProblem("").isEmpty());
        assertTrue(Storable.textProblem(null).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "\u0000", "x\ud800", "\ud800y", "\udc00", "ok \udfff then"})
    void nulAndLoneSurrogatesAreRefused(String s) {
        assertTrue(Storable.textProblem(s).isPresent(), s);
    }

    @Test
    void jsonProblemsNameThePathOfKeysAndValues() throws Exception {
        assertTrue(
                Storable.jsonProblem(JSON.readTree("{\"a\":[1,\"x\",{\"b\":\"fine\"}]}"))
                        .isEmpty());
        var p =
                Storable.jsonProblem(JSON.readTree("{\"a\":[1,\"x\",{\"b\":\"bad\\u0000\"}]}"))
                        .orElseThrow();
        assertEquals("/a/2/b", p.path());
        var k = Storable.jsonProblem(JSON.readTree("{\"ok\":1,\"k\\u0000/y\":2}")).orElseThrow();
        assertEquals("/k\\u0000~1y", k.path());
        assertTrue(k.reason().startsWith("key "), k.reason());
        assertEquals("", Storable.jsonProblem(JSON.readTree("\"\\ud800\"")).orElseThrow().path());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+294277-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "-4714-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "1899-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z"
            })
    void timesPostgresCannotHoldOrThatAreNonsenseAreRefused(String text) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Storable.parseInstant(text));
        assertTrue(e.getMessage().contains("between"), e.getMessage());
    }

    @Test
    void ordinaryTimesParseWithTheirOffset() {
        assertEquals(
                Instant.parse("2026-03-02T07:30:00Z"),
                Storable.parseInstant("2026-03-02T08:30:00+01:00"));
        assertFalse(Storable.storable(Instant.MAX));
        assertThrows(IllegalArgumentException.class, () -> Storable.parseInstant("yesterday"));
    }

    @Test
    void clippedEchoesShowControlCharactersEscapedAndStopAt40() {
        assertEquals("a\\u0000b", Storable.clip("a\u0000b"));
        assertEquals(41, Storable.clip("x".repeat(100)).length());
    }
}
