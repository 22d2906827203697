package io.chakrai.api.http;

import io.chakrai.models.storage.Storable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A keyset page's position: the {@code (timestamp, id)} of the previous page's last row, as an
 * opaque URL-safe text ({@code next_cursor}). One format for every cursor-paged route (readings,
 * group messages).
 */
public record Cursor(Instant timestamp, long id) {
    /**
     * The keyset page's end: {@code rows} were read with one more than {@code limit} asked for; if
     * that one came, it is taken off and the cursor of the page's last row returned, else null (the
     * last page).
     */
    public static <T> String next(List<T> rows, int limit, Function<T, Cursor> position) {
        if (rows.size() <= limit) {
            return null;
        }
        rows.subList(limit, rows.size()).clear();
        return position.apply(rows.get(limit - 1)).encode();
    }

    public String encode() {
        long micros =
                Math.addExact(
                        Math.multiplyExact(timestamp.getEpochSecond(), 1_000_000L),
                        timestamp.getNano() / 1_000L);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @throws IllegalArgumentException if the text is not a cursor this API issued
     */
    public static Cursor decode(String text) {
        String[] parts =
                new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII)
                        .split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a cursor");
        }
        long micros = Long.parseLong(parts[0]);
        Instant at =
                Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
        if (!Storable.storable(at)) {
            throw new IllegalArgumentException("not a cursor");
        }
        return new Cursor(at, Long.parseLong(parts[1]));
    }
}
