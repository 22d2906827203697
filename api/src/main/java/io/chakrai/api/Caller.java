package io.chakrai.api;

import io.chakrai.api.auth.AuthService;
import io.javalin.http.Context;
import java.util.UUID;

/** The authenticated user of a request, set by the API's access check before any handler runs. */
public final class Caller {
    static final String ATTRIBUTE = "chakrai.userId";
    static final String SESSION = "chakrai.session";
    static final String ROLE = "chakrai.role";

    private Caller() {}

    public static int id(Context ctx) {
        Integer id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return id;
    }

    /** The sign-in session of the request's token. */
    public static UUID session(Context ctx) {
        UUID s = ctx.attribute(SESSION);
        if (s == null) {
            throw new IllegalStateException("no authenticated session on " + ctx.path());
        }
        return s;
    }

    /** The caller's role ({@code users.role}: person, facilitator, clinician, operator). */
    public static String role(Context ctx) {
        String r = ctx.attribute(ROLE);
        return r == null ? "person" : r;
    }

    static void set(Context ctx, AuthService.Authenticated a) {
        ctx.attribute(ROLE, a.role());
        ctx.attribute(ATTRIBUTE, a.userId());
        ctx.attribute(SESSION, a.session());
    }
}
