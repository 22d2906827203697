package io.chakrai.api.http;

import io.chakrai.models.storage.Storable;
import io.javalin.http.Context;
import io.swagger.v3.oas.models.media.Schema;
import java.time.Instant;

/** Query parameters, checked, with 400s that name the parameter. */
public final class Query {
    private Query() {}

    /** A declared date-time parameter (null when absent). */
    public static Instant instant(Context ctx, String name) {
        String v = text(ctx, name);
        return v == null ? null : Storable.parseInstant(v);
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

    /**
     * A declared parameter's text as its schema allows ({@link SchemaCheck#parameter}): its
     * declared default, or null, when absent; 400 {@code invalid_query} naming it otherwise.
     */
    public static String text(Context ctx, String name) {
        Schema<?> schema = schema(ctx, name);
        String v = ctx.queryParam(name);
        if (v == null) {
            if (RouteTable.declared(ctx).queryRequired(name)) {
                throw ApiException.badRequest("invalid_query", name + ": is required");
            }
            return schema.getDefault() == null ? null : schema.getDefault().toString();
        }
        SchemaCheck.parameter(v, schema)
                .ifPresent(
                        why -> {
                            throw ApiException.badRequest("invalid_query", name + ": " + why);
                        });
        return v.strip(); // as SchemaCheck judged it
    }

    /** A declared whole-number parameter (its default, or null, when absent). */
    public static Long number(Context ctx, String name) {
        String v = text(ctx, name);
        return v == null ? null : Long.valueOf(v.trim());
    }

    /** A declared whole-number parameter that fits an int and has a default (page sizes, days). */
    public static int integer(Context ctx, String name) {
        Long n = number(ctx, name);
        if (n == null) {
            throw new IllegalStateException(name + " is declared with no default");
        }
        return Math.toIntExact(n);
    }

    private static Schema<?> schema(Context ctx, String name) {
        Schema<?> schema = RouteTable.declared(ctx).querySchema(name);
        if (schema == null) {
            throw new IllegalStateException(name + " is not a declared query parameter");
        }
        return schema;
    }

    /**
     * The {@code tz} parameter as an IANA zone (default UTC): PostgreSQL knows those, not every
     * spelling Java accepts ("GMT+5", "UTC+05:00"); anything else is a 400.
     */
    public static java.time.ZoneId zone(Context ctx) {
        String tz = text(ctx, "tz");
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
        String text = text(ctx, "cursor");
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
     * The path's {@code {id}} as a whole number within its declared bounds; anything else is 404
     * naming {@code what}, exactly as an id that exists but is not the caller's (so a path cannot
     * tell the two apart).
     */
    public static long pathId(Context ctx, String what) {
        Schema<?> schema = RouteTable.declared(ctx).pathSchema("id");
        if (schema == null) {
            throw new IllegalStateException("{id} is not a declared path parameter");
        }
        String v = ctx.pathParam("id");
        try {
            long id = Long.parseLong(v);
            if (SchemaCheck.parameter(v, schema).isEmpty()) {
                return id;
            }
        } catch (NumberFormatException e) {
            // the same answer as an id that is not there
        }
        throw ApiException.notFound(what);
    }
}
