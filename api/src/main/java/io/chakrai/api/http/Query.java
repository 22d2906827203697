package io.chakrai.api.http;

import io.chakrai.models.storage.Storable;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Set;

/** Query parameters, checked, with 400s that name the parameter. */
public final class Query {
    private Query() {}

    public static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return Storable.parseInstant(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_query", name + ": " + e.getMessage());
        }
    }

    /**
     * Refuses query and path parameters the database could not store (a NUL, an unpaired
     * surrogate): 400 {@code invalid_query} naming the parameter. Runs before every route.
     */
    public static void storable(Context ctx) {
        for (var e : ctx.queryParamMap().entrySet()) {
            for (String v : e.getValue()) {
                check(e.getKey(), v);
            }
            check("parameter name", e.getKey());
        }
        for (var e : ctx.pathParamMap().entrySet()) {
            check(e.getKey(), e.getValue());
        }
    }

    private static void check(String name, String value) {
        Storable.textProblem(value)
                .ifPresent(
                        r -> {
                            throw ApiException.badRequest(
                                    "invalid_query", Storable.clip(name) + ": " + r);
                        });
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
        throw ApiException.badRequest(
                "invalid_query", name + ": must be a whole number from " + min + " to " + max);
    }

    /** A required whole number from {@code min} to {@code max} (64-bit: byte offsets). */
    public static long required(Context ctx, String name, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            throw ApiException.badRequest(
                    "invalid_query",
                    name + ": is required, a whole number from " + min + " to " + max);
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the same message as out of range
        }
        throw ApiException.badRequest(
                "invalid_query", name + ": must be a whole number from " + min + " to " + max);
    }

    /**
     * The {@code tz} parameter as an IANA zone (default UTC): PostgreSQL knows those, not every
     * spelling Java accepts ("GMT+5", "UTC+05:00"); anything else is a 400.
     */
    public static java.time.ZoneId zone(Context ctx) {
        String tz = ctx.queryParam("tz") == null ? "UTC" : ctx.queryParam("tz");
        if (tz.equals("UTC") || java.time.ZoneId.getAvailableZoneIds().contains(tz)) {
            try {
                return java.time.ZoneId.of(tz);
            } catch (java.time.DateTimeException e) {
                // the same answer as a name that is no zone
            }
        }
        throw ApiException.badRequest(
                "invalid_query", "tz: not a time zone (use an IANA name such as Europe/Dublin)");
    }

    public static String oneOf(Context ctx, String name, Set<String> allowed) {
        String v = ctx.queryParam(name);
        if (v != null && !allowed.contains(v)) {
            throw ApiException.badRequest(
                    "invalid_query", name + ": must be one of " + String.join(", ", allowed));
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

    /**
     * The {@code cursor} query parameter of a keyset-paged route (its previous page's {@code
     * next_cursor}); null for the first page; 400 {@code invalid_query} for anything this API did
     * not issue.
     */
    public static Cursor cursor(Context ctx) {
        String text = ctx.queryParam("cursor");
        if (text == null) {
            return null;
        }
        try {
            return Cursor.decode(text);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "invalid_query", "cursor: not a cursor from a previous page");
        }
    }

    /**
     * The path's {@code {id}} as a positive number; anything else is 404 naming {@code what},
     * exactly as an id that exists but is not the caller's (so a path cannot tell the two apart).
     */
    public static long pathId(Context ctx, String what, long max) {
        try {
            long id = Long.parseLong(ctx.pathParam("id"));
            if (id > 0 && id <= max) {
                return id;
            }
        } catch (NumberFormatException e) {
            // the same answer as an id that is not there
        }
        throw ApiException.notFound(what);
    }
}
