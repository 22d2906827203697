package io.chakrai.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.Query;
import io.chakrai.models.Json;
import io.chakrai.models.analytics.Correlations;
import io.javalin.http.Context;
import java.sql.SQLException;

/**
 * {@code GET /api/v2/prediction/patterns} (when in the day and week the caller's stress episodes
 * cluster, and how they slept before high-stress days) and {@code GET
 * /api/v2/prediction/correlations} (sleep vs next-day stress, activity vs HRV, sleep vs resting
 * heart rate: r, n, p, only with enough days). {@code days} (default 30, at most 365) and {@code
 * tz} (IANA zone, default UTC) shape both.
 */
public final class PatternsHandler {
    private final PatternsService service;

    public PatternsHandler(PatternsService service) {
        this.service = service;
    }

    private record Window(int days, String zone) {}

    private static Window window(Context ctx) {
        int days = Query.integer(ctx, "days");
        return new Window(days, Query.zone(ctx).getId());
    }

    public void patterns(Context ctx) throws SQLException {
        Window w = window(ctx);
        PatternsService.Patterns p = service.patterns(Caller.id(ctx), w.days(), w.zone());
        ObjectNode out = Json.MAPPER.createObjectNode().put("days", p.days()).put("tz", p.zone());
        out.put("stress_episodes", p.episodes());
        out.set("episodes_by_hour", Json.MAPPER.valueToTree(p.byHour()));
        out.set("episodes_by_weekday_mon_to_sun", Json.MAPPER.valueToTree(p.byWeekday()));
        out.put("peak_hour", p.peakHour());
        ObjectNode sleep = out.putObject("sleep_before_high_stress_days");
        sleep.put(
                "definition",
                "days with "
                        + PatternsService.HIGH_STRESS_EPISODES
                        + " or more stress episodes vs the other days");
        sleep.put("high_stress_days", p.highStressDays());
        put(sleep, "mean_sleep_hours_before_high_stress_days", p.meanSleepBefore());
        put(sleep, "mean_sleep_hours_before_other_days", p.meanSleepOther());
        ctx.json(out);
    }

    public void correlations(Context ctx) throws SQLException {
        Window w = window(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Correlations.Result r : service.correlations(Caller.id(ctx), w.days(), w.zone())) {
            ObjectNode n =
                    list.addObject()
                            .put("x", r.x())
                            .put("y", r.y())
                            .put("n", r.n())
                            .put("reported", r.reported());
            if (r.reported()) {
                n.put("coefficient", r.coefficient())
                        .put("p_value", r.pValue())
                        .put("method", "pearson");
            } else {
                n.put(
                        "reason",
                        "fewer than "
                                + Correlations.MIN_DAYS
                                + " days with both measures (or one never varied)");
            }
        }
        ctx.json(
                Json.MAPPER
                        .createObjectNode()
                        .put("days", w.days())
                        .put("tz", w.zone())
                        .set("correlations", list));
    }

    private static void put(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, Math.round(v * 100) / 100.0);
        } else {
            n.putNull(field);
        }
    }
}
