package io.chakrai.api.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v2/biometric/devices[/:id]}: register, list, read, update, deactivate. */
public final class DeviceHandler {
    public static final Set<String> STATUSES = Set.of("active", "paused", "disconnected", "error");
    private final DeviceRepository devices;

    public DeviceHandler(DeviceRepository devices) {
        this.devices = devices;
    }

    public void create(Context ctx) throws SQLException {
        int user = Caller.id(ctx);
        DeviceRepository.Fields f = fields(ctx);
        var existing = devices.findByVendorId(user, f.deviceType(), f.deviceId());
        if (existing.isPresent() && existing.get().isActive()) {
            throw new ApiException(
                    409,
                    "device_exists",
                    "this device is already registered as device " + existing.get().id());
        }
        if (existing.isPresent()) {
            ctx.status(HttpStatus.OK)
                    .json(devices.update(user, existing.get().id(), f, true).orElseThrow());
            return;
        }
        ctx.status(HttpStatus.CREATED).json(devices.create(user, f));
    }

    public void list(Context ctx) throws SQLException {
        ctx.json(Map.of("devices", devices.list(Caller.id(ctx))));
    }

    public void get(Context ctx) throws SQLException {
        ctx.json(
                devices.find(Caller.id(ctx), pathId(ctx))
                        .orElseThrow(() -> ApiException.notFound("device")));
    }

    public void update(Context ctx) throws SQLException {
        int id = pathId(ctx);
        DeviceRepository.Fields f = fields(ctx);
        ctx.json(
                devices.update(Caller.id(ctx), id, f, false)
                        .orElseThrow(() -> ApiException.notFound("device")));
    }

    public void delete(Context ctx) throws SQLException {
        if (!devices.deactivate(Caller.id(ctx), pathId(ctx))) {
            throw ApiException.notFound("device");
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    static int pathId(Context ctx) {
        return (int) io.chakrai.api.http.Query.pathId(ctx, "device");
    }

    /**
     * A checked body's fields (the declaration says which each route takes and their shapes);
     * settings are at most 8,192 characters of JSON.
     */
    private static DeviceRepository.Fields fields(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        Bodies.Problems p = Bodies.problems(ctx);
        JsonNode settings = body.get("settings");
        if (settings != null && settings.toString().length() > 8_192) {
            p.add("settings", "must be at most 8192 characters of JSON");
        }
        p.throwIfAny();
        List<String> dataTypes =
                body.hasNonNull("data_types")
                        ? List.copyOf(new LinkedHashSet<>(Bodies.texts(body, "data_types")))
                        : null;
        return new DeviceRepository.Fields(
                Bodies.text(body, "device_type"),
                Bodies.text(body, "device_id"),
                Bodies.text(body, "device_name"),
                dataTypes,
                Bodies.integer(body, "sync_frequency"),
                Bodies.text(body, "auth_token"),
                settings == null || settings.isNull() ? null : settings,
                Bodies.text(body, "connection_status"));
    }
}
