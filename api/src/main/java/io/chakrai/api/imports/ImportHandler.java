package io.chakrai.api.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.api.http.Query;
import io.chakrai.models.Json;
import io.chakrai.models.imports.ImportFormat;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/biometric/imports}: start an import (its file's name and size), send the file in
 * chunks at the offset the server holds, follow its progress. Owner-only: another person's import
 * answers 404 like one that does not exist.
 */
public final class ImportHandler {
    public static final List<String> FORMATS =
            Arrays.stream(ImportFormat.values()).map(ImportFormat::wireName).toList();
    public static final int MAX_LIMIT = 100;

    private final ImportService imports;
    private final Clock clock;

    public ImportHandler(ImportService imports, Clock clock) {
        this.imports = imports;
        this.clock = clock;
    }

    public void create(Context ctx) throws SQLException, IOException {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        String zone = Bodies.text(body, "time_zone");
        ZoneId z = ZoneOffset.UTC;
        try {
            z = ZoneId.of(zone == null ? "UTC" : zone);
        } catch (DateTimeException e) {
            p.add("time_zone", "must be a time zone such as Europe/Berlin or UTC");
        }
        p.throwIfAny();
        String format = Bodies.text(body, "format");
        Import i =
                imports.create(
                        Caller.id(ctx),
                        Bodies.text(body, "file_name"),
                        body.get("size_bytes").asLong(),
                        format == null ? null : ImportFormat.fromWire(format).orElseThrow(),
                        z);
        ctx.status(HttpStatus.CREATED).json(json(i, clock.instant()));
    }

    public void content(Context ctx) throws SQLException, IOException {
        long id = Query.pathId(ctx, "import");
        // another person's import answers 404 before anything about the request is judged
        imports.get(Caller.id(ctx), id);
        long offset = Query.number(ctx, "offset");
        String type = ctx.contentType();
        if (type != null
                && !type.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("application/octet-stream")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "send the file's bytes as application/octet-stream");
        }
        Import i =
                imports.append(
                        Caller.id(ctx),
                        id,
                        offset,
                        ctx.req().getInputStream(),
                        ctx.req().getContentLengthLong());
        ctx.json(json(i, clock.instant()));
    }

    public void cancel(Context ctx) throws SQLException, IOException {
        ctx.json(
                json(imports.cancel(Caller.id(ctx), Query.pathId(ctx, "import")), clock.instant()));
    }

    public void get(Context ctx) throws SQLException {
        ctx.json(json(imports.get(Caller.id(ctx), Query.pathId(ctx, "import")), clock.instant()));
    }

    public void list(Context ctx) throws SQLException {
        int limit = Query.integer(ctx, "limit");
        Instant now = clock.instant();
        ctx.json(
                Map.of(
                        "imports",
                        imports.list(Caller.id(ctx), limit).stream()
                                .map(i -> json(i, now))
                                .toList()));
    }

    /** An import as the API shows it, with the seconds its reading has left. */
    static ObjectNode json(Import i, Instant now) {
        ObjectNode n = Json.MAPPER.valueToTree(i);
        Long eta = i.etaSeconds(now);
        if (eta == null) {
            n.putNull("eta_seconds");
        } else {
            n.put("eta_seconds", eta);
        }
        return n;
    }
}
