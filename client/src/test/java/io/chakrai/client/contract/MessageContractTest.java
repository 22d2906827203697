package io.chakrai.client.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The events' description holds together: every message has an example, and every example is valid.
 */
class MessageContractTest {
    static final MessageContract EVENTS = MessageContract.ofRepository();

    @Test
    void everyMessageHasAnExampleItsOwnSchemaAccepts() {
        assertTrue(EVENTS.messages().size() >= 20, EVENTS.messages().toString());
        for (String m : EVENTS.messages()) {
            assertFalse(EVENTS.examples(m).isEmpty(), m + " has no example");
            for (String example : EVENTS.examples(m)) {
                assertEquals(List.of(), EVENTS.problems(m, example), m);
            }
        }
    }

    @Test
    void aSocketEventIsFoundByItsTypeAndAnAddedFieldIsRefused() {
        String ack =
                "{\"type\":\"group_message_ack\",\"groupId\":7,\"messageId\":41,\"status\":\"visible\","
                        + "\"timestamp\":\"2026-03-02T07:30:00Z\"}";
        assertEquals(List.of(), EVENTS.socketEvent(ack));
        assertFalse(
                EVENTS.socketEvent(ack.replace("}", ",\"user_id\":3}")).isEmpty(),
                "a field the description lacks");
        assertFalse(
                EVENTS.socketEvent("{\"type\":\"group_message_ack\",\"groupId\":\"7\"}").isEmpty());
        assertFalse(EVENTS.socketEvent("{\"type\":\"surprise\"}").isEmpty());
        // the server's group_message, not the one an app sends
        assertEquals(
                List.of(),
                EVENTS.socketEvent(
                        "{\"type\":\"group_message\",\"groupId\":7,\"messageId\":1,"
                                + "\"anonymousId\":\"A\",\"message\":\"hi\",\"messageType\":\"text\",\"timestamp\":\"2026-03-02T07:30:00Z\"}"));
    }

    @Test
    void aResponseIsHeldToItsRoute() {
        ApiContract api =
                ApiContract.of(
                        "{\"paths\":{\"/x/{id}\":{\"get\":{\"responses\":{\"200\":{\"content\":"
                                + "{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/X\"}}}}}}}},\"components\":{\"schemas\":"
                                + "{\"X\":{\"type\":\"object\",\"required\":[\"a\"],\"additionalProperties\":false,\"properties\":"
                                + "{\"a\":{\"type\":\"integer\"}}},\"Error\":{\"type\":\"object\",\"required\":[\"error\"]}}}}");
        assertEquals(
                List.of(),
                api.problems("GET", "/x/3", 200, "application/json; charset=utf-8", "{\"a\":1}"));
        assertFalse(
                api.problems("GET", "/x/3", 200, "application/json", "{\"a\":\"1\"}").isEmpty());
        assertFalse(
                api.problems("GET", "/x/3", 200, "application/json", "{\"a\":1,\"b\":2}")
                        .isEmpty());
        assertFalse(
                api.problems("GET", "/x/3", 201, "application/json", "{\"a\":1}").isEmpty(),
                "an undeclared status");
        assertFalse(
                api.problems("GET", "/x/3", 200, "text/html", "<p>").isEmpty(),
                "an undeclared media type");
        assertEquals(
                List.of(),
                api.problems("GET", "/nowhere", 404, "application/json", "{\"error\":{}}"));
    }
}
