package io.chakrai.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    /**
     * Jackson's account of a bad document, as a client is shown it: still saying what is wrong,
     * without the parser's class, feature or source names (which its own words carry).
     */
    @Test
    void aParsersAccountOfBadJsonKeepsWhatIsWrongAndDropsItsOwnNames() {
        for (String bad :
                List.of(
                        "{\"a\":1",
                        "{]",
                        "[".repeat(1_001) + "]".repeat(1_001),
                        "{\"a\":" + "9".repeat(1_001) + "}",
                        "{\"a\":NaN}",
                        "{\"a\":1,\"a\":2}",
                        "{\"a\":\"b",
                        "{\"a\":tru}")) {
            JsonProcessingException e =
                    assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readTree(bad));
            String said = Json.problem(e);
            assertFalse(said.isBlank(), bad);
            for (String internal : List.of("`", "Source", "StreamRead", "Feature", "com.", "\n")) {
                assertFalse(said.contains(internal), bad + " -> " + said);
            }
        }
        assertEquals(
                "Duplicate field 'a'",
                Json.problem(
                        assertThrows(
                                JsonProcessingException.class,
                                () -> Json.MAPPER.readTree("{\"a\":1,\"a\":2}"))));
        String deep =
                Json.problem(
                        assertThrows(
                                JsonProcessingException.class,
                                () -> Json.MAPPER.readTree("[".repeat(1_001))));
        assertTrue(deep.contains("(1000)"), deep);
    }
}
