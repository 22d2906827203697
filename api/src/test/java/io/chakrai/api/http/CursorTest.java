package io.chakrai.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
    record Row(Instant at, long id) {}

    static List<Row> rows(int n) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Row(Instant.parse("2026-12-01T10:00:00.123456Z").minusSeconds(i), 100 - i));
        }
        return out;
    }

    @Test
    void aPageReadOneLongHasANextCursorAtItsLastRowAndLosesTheExtraOne() {
        List<Row> page = rows(4);
        String next = Cursor.next(page, 3, r -> new Cursor(r.at(), r.id()));
        assertEquals(3, page.size());
        Cursor c = Cursor.decode(next);
        assertEquals(page.get(2).at(), c.timestamp(), "microseconds kept");
        assertEquals(98, c.id());
    }

    @Test
    void theLastPageHasNone() {
        List<Row> page = rows(3);
        assertNull(Cursor.next(page, 3, r -> new Cursor(r.at(), r.id())));
        assertEquals(3, page.size());
        assertNull(Cursor.next(new ArrayList<Row>(), 3, r -> new Cursor(r.at(), r.id())));
    }
}
