package io.chakrai.api.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Bodies;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.DeviceType;
import io.chakrai.models.storage.Storable;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.util.ArrayList;
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
        DeviceRepository.Fields f = fields(Bodies.object(ctx), true);
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
        DeviceRepository.Fields f = fields(Bodies.object(ctx), false);
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
        return (int) io.chakrai.api.http.Query.pathId(ctx, "device", Integer.MAX_VALUE);
    }

    private static DeviceRepository.Fields fields(JsonNode body, boolean creating) {
        Bodies.Problems p = new Bodies.Problems();
        String type = null;
        String vendorId = null;
        if (creating) {
            type = p.text(body, "device_type", true, 32).orElse(null);
            if (type != null && DeviceType.fromWire(type).isEmpty()) {
                p.add("device_type", "must be one of " + DeviceType.names());
            }
            vendorId = p.text(body, "device_id", true, 128).orElse(null);
        } else {
            for (String immutable : List.of("device_type", "device_id")) {
                if (body.has(immutable)) {
                    p.add(immutable, "cannot be changed; register the new device instead");
                }
            }
        }
        String name = p.text(body, "device_name", false, 100).orElse(null);
        List<String> dataTypes = null;
        JsonNode dt = body.get("data_types");
        if (dt == null || dt.isNull()) {
            if (creating) {
                p.add("data_types", "is required: a non-empty array of " + DataType.names());
            }
        } else if (!dt.isArray() || dt.isEmpty()) {
            p.add("data_types", "must be a non-empty array of " + DataType.names());
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode t : dt) {
                if (!t.isTextual() || DataType.fromWire(t.asText()).isEmpty()) {
                    p.add(
                            "data_types",
                            "'"
                                    + Storable.clip(t.asText())
                                    + "' is not one of "
                                    + DataType.names());
                } else {
                    seen.add(t.asText());
                }
            }
            dataTypes = new ArrayList<>(seen);
        }
        Integer sync = p.integer(body, "sync_frequency", 10, 86_400).orElse(null);
        String token = p.text(body, "auth_token", false, 4_096).orElse(null);
        JsonNode settings = body.get("settings");
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            p.add("settings", "must be a JSON object");
        }
        if (settings != null && settings.toString().length() > 8_192) {
            p.add("settings", "must be at most 8192 characters of JSON");
        }
        String status = null;
        if (creating && body.has("connection_status")) {
            p.add(
                    "connection_status",
                    "can only be set on an existing device (PUT /api/v2/biometric/devices/{id})");
        }
        if (!creating) {
            status = p.text(body, "connection_status", false, 32).orElse(null);
            if (status != null && !STATUSES.contains(status)) {
                p.add("connection_status", "must be one of " + String.join(", ", STATUSES));
            }
        }
        p.throwIfAny("invalid_device");
        return new DeviceRepository.Fields(
                type,
                vendorId,
                name,
                dataTypes,
                sync,
                token,
                settings == null || settings.isNull() ? null : settings,
                status);
    }
}
