package io.chakrai.lab.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chakrai.models.Json;
import io.chakrai.models.simulation.Activity;
import io.chakrai.models.simulation.SimulatedPerson;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The simulator's physiology on a script, as JSON batches for the API: calm, then an episode, then
 * calm.
 */
public final class ScriptedDay {
    private ScriptedDay() {}

    /**
     * Readings every 10 s from {@code start}: {@code calmMinutes} at rest, {@code episodeMinutes}
     * of {@code episode}, then {@code afterMinutes} at rest.
     */
    public static String json(
            int device,
            long seed,
            Instant start,
            int calmMinutes,
            Activity episode,
            int episodeMinutes,
            int afterMinutes) {
        SimulatedPerson p = new SimulatedPerson(seed, 0, start);
        p.startActivity(Activity.REST, start, Duration.ofMinutes(calmMinutes));
        ArrayNode batch = Json.MAPPER.createArrayNode();
        int total = (calmMinutes + episodeMinutes + afterMinutes) * 60;
        for (int s = 0; s < total; s += 10) {
            Instant t = start.plusSeconds(s).truncatedTo(ChronoUnit.SECONDS);
            if (s == calmMinutes * 60) {
                p.startActivity(episode, t, Duration.ofMinutes(episodeMinutes));
            } else if (s == (calmMinutes + episodeMinutes) * 60) {
                p.startActivity(Activity.REST, t, Duration.ofMinutes(afterMinutes + 1));
            }
            for (SimulatedPerson.Sample x : p.step(t)) {
                x.addTo(batch, device).putObject("metadata").put("sim_state", x.activity().label());
            }
        }
        return batch.toString();
    }

    /**
     * A steady heart rate (alternating by 1 bpm) and RMSSD, one of each a minute from minute {@code
     * from} to {@code to} after {@code t0}: a watch's readings around a content session, as a JSON
     * batch for the API.
     */
    public static String steady(int device, Instant t0, int from, int to, double hr, double rmssd) {
        ArrayNode batch = Json.MAPPER.createArrayNode();
        for (int m = from; m < to; m++) {
            Instant at = t0.plusSeconds(m * 60L + 5);
            batch.addObject()
                    .put("device_id", device)
                    .put("data_type", "heart_rate")
                    .put("value", hr + (m % 2))
                    .put("timestamp", at.toString());
            batch.addObject()
                    .put("device_id", device)
                    .put("data_type", "hrv")
                    .put("value", rmssd)
                    .put("timestamp", at.plusSeconds(20).toString());
        }
        return batch.toString();
    }
}
