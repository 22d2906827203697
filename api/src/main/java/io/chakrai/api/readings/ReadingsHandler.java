package io.chakrai.api.readings;

import io.chakrai.api.Caller;
import io.chakrai.api.devices.DeviceRepository;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Cursor;
import io.chakrai.api.http.Query;
import io.chakrai.models.readings.ReadingCodec;
import io.chakrai.models.readings.ReadingReader;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v2/biometric/readings} (one reading or a batch) and {@code GET} (the caller's,
 * paged).
 */
public final class ReadingsHandler {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;

    private final ReadingIntake intake;
    private final ReadingRepository queries;
    private final DeviceRepository devices;
    private final int maxBatch;
    private final java.time.Clock clock;

    public ReadingsHandler(
            ReadingIntake intake,
            ReadingRepository queries,
            DeviceRepository devices,
            int maxBatch,
            java.time.Clock clock) {
        this.intake = intake;
        this.queries = queries;
        this.devices = devices;
        this.maxBatch = maxBatch;
        this.clock = clock;
    }

    public void post(Context ctx) throws SQLException {
        ReadingReader.Body body =
                ReadingCodec.fromBody(ctx.bodyAsBytes(), Caller.id(ctx), maxBatch);
        if (body.refused() != null) {
            throw refusal(body);
        }
        int n = intake.accept(Caller.id(ctx), body.items());
        ctx.status(HttpStatus.ACCEPTED).json(Map.of("accepted", n));
    }

    /** A body refused whole, as the API's error: 400 naming what is wrong, or 413. */
    static ApiException refusal(ReadingReader.Body body) {
        return switch (body.refused()) {
            case EMPTY -> ApiException.badRequest("empty_body", body.message());
            case MALFORMED -> ApiException.badRequest("malformed_json", body.message());
            case UNSTORABLE_TEXT ->
                    new ApiException(
                            400,
                            "invalid_text",
                            body.message(),
                            List.of(Map.of("field", body.field(), "reason", body.reason())));
            case NOT_READINGS -> ApiException.badRequest("invalid_body", body.message());
            case EMPTY_BATCH -> ApiException.badRequest("empty_batch", body.message());
            case TOO_MANY -> new ApiException(413, "batch_too_large", body.message());
        };
    }

    /**
     * {@code GET /api/v2/biometric/daily}: the caller's days, for a history at a glance (imported
     * years included).
     */
    public void daily(Context ctx) throws SQLException {
        int days = Query.integer(ctx, "days");
        java.time.ZoneId zone = Query.zone(ctx);
        String tz = zone.getId();
        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(zone));
        try {
            ctx.json(
                    Map.of(
                            "days",
                            days,
                            "tz",
                            tz,
                            "daily",
                            queries.daily(
                                    Caller.id(ctx), today.minusDays(days - 1L), today, zone)));
        } catch (SQLException e) {
            if ("22023".equals(e.getSQLState())) {
                // a zone Java knows and the database's time-zone data does not (yet)
                throw ApiException.badRequest(
                        "invalid_query", "tz: this time zone is not known to the server; try UTC");
            }
            throw e;
        }
    }

    public void get(Context ctx) throws SQLException {
        int user = Caller.id(ctx);
        String type = Query.text(ctx, "data_type");
        Long device = Query.number(ctx, "device_id");
        Integer deviceId = device == null ? null : Math.toIntExact(device);
        if (deviceId != null && devices.find(user, deviceId).isEmpty()) {
            throw ApiException.notFound("device");
        }
        Instant[] range = Query.range(ctx, null, null);
        int limit = Query.integer(ctx, "limit");
        Cursor cursor = Query.cursor(ctx);
        ctx.json(
                queries.page(
                        user,
                        new ReadingRepository.Filter(
                                type, deviceId, range[0], range[1], limit, cursor)));
    }
}
