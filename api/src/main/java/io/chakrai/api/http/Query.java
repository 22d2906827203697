package io.chakrai.api.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Query parameters, checked, with 400s that name the parameter. */
public final class Query {
    private Query() {
    }

    public static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_query", name + ": must be ISO-8601 with offset, e.g. 2026-01-31T08:15:00Z");
        }
    }

    public static int integer(Context ctx, String name, int min, int max, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the same message as out of range
        }
        throw ApiException.badRequest("invalid_query", name + ": must be a whole number from " + min + " to " + max);
    }

    public static String oneOf(Context ctx, String name, Set<String> allowed) {
        String v = ctx.queryParam(name);
        if (v != null && !allowed.contains(v)) {
            throw ApiException.badRequest("invalid_query", name + ": must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** from/to with from before to; defaults when absent. */
    public static Instant[] range(Context ctx, Instant defaultFrom, Instant defaultTo) {
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        from = from == null ? defaultFrom : from;
        to = to == null ? defaultTo : to;
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("invalid_query", "from must be before to");
        }
        return new Instant[] {from, to};
    }
}
