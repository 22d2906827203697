package io.chakrai.api;

import io.javalin.http.Context;

/** The authenticated user of a request, set by the API's access check before any handler runs. */
public final class Caller {
    static final String ATTRIBUTE = "chakrai.userId";

    private Caller() {
    }

    public static int id(Context ctx) {
        Integer id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return id;
    }
}
