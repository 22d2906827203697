package io.chakrai.launcher.sim;

import io.chakrai.lab.client.ApiClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.simulation.SimulatedPerson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated wearers streaming through the public API, as real apps do: each registers (or logs in),
 * registers a watch, and on every tick posts what its {@link SimulatedPerson} reports. Every reading is
 * labelled with what the person was doing ({@code metadata.sim_state}) so detectors can be scored.
 */
public final class DeviceSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA_TYPES = "[\"heart_rate\",\"hrv\",\"steps\",\"activity\",\"skin_temperature\",\"sleep_stage\"]";

    private final ApiClient api;
    private final List<Wearer> wearers = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "device-simulator");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private volatile String lastToken;

    private record Wearer(String email, String password, SimulatedPerson person, int deviceId, String[] token) {
    }

    private DeviceSimulator(ApiClient api) {
        this.api = api;
    }

    /** Registers {@code users} wearers and starts posting every {@code intervalMs}. */
    public static DeviceSimulator start(String apiUrl, int users, long intervalMs, String password) throws Exception {
        DeviceSimulator sim = new DeviceSimulator(new ApiClient(apiUrl));
        Instant now = Instant.now();
        for (int i = 1; i <= users; i++) {
            String email = String.format("sim-%03d@chakrai.local", i);
            String token = sim.api.login(email, password);
            int device = sim.api.device(token, "apple_watch", String.format("SIM-WATCH-%03d", i), DATA_TYPES);
            sim.wearers.add(new Wearer(email, password, new SimulatedPerson(i, 0.2, now), device, new String[] {token}));
            sim.lastToken = token;
        }
        sim.ticker.scheduleAtFixedRate(sim::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("device simulator streaming for {} wearers every {} ms (users sim-001..sim-{}@chakrai.local)",
                users, intervalMs, String.format("%03d", users));
        return sim;
    }

    private void tick() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (Wearer w : wearers) {
            try {
                ArrayNode batch = JSON.createArrayNode();
                for (SimulatedPerson.Sample s : w.person().step(now)) {
                    ObjectNode r = batch.addObject();
                    r.put("device_id", w.deviceId());
                    r.put("data_type", s.type().wireName());
                    r.put("value", s.value());
                    r.put("unit", s.type().unit());
                    r.put("quality", 0.95);
                    r.put("timestamp", s.timestamp().toString());
                    r.putObject("metadata").put("sim_state", s.activity().label());
                }
                ApiClient.Reply reply = api.call("POST", "/api/v2/biometric/readings", w.token()[0], batch.toString());
                if (reply.status() == 401) {
                    w.token()[0] = api.login(w.email(), w.password());
                } else if (reply.status() != 202) {
                    LOG.warn("simulator: HTTP {} for {}: {}", reply.status(), w.email(), reply.body().path("error").path("message").asText());
                } else {
                    sent.addAndGet(batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("simulator: {} for {}", e.toString(), w.email());
            }
        }
    }

    public long readingsSent() {
        return sent.get();
    }

    /** A token of one simulated user (for demos and tests). */
    public String anyToken() {
        return lastToken;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        LOG.info("device simulator stopped after {} readings", sent.get());
    }
}
