package io.chakrai.api.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.api.Caller;
import io.chakrai.api.http.ApiException;
import io.chakrai.api.http.Json;
import io.chakrai.api.http.Query;
import io.chakrai.models.analytics.Correlations;
import io.chakrai.models.analytics.DailySummary;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code GET /api/v2/prediction/patterns} (when in the day and week the caller's stress episodes cluster,
 * and how they slept before high-stress days) and {@code GET /api/v2/prediction/correlations} (sleep vs
 * next-day stress, activity vs HRV, sleep vs resting heart rate: r, n, p, only with enough days).
 * {@code days} (default 30, at most 365) and {@code tz} (IANA zone, default UTC) shape both.
 */
public final class PatternsHandler {
    private final DataSource db;

    public PatternsHandler(DataSource db) {
        this.db = db;
    }

    private record Window(int days, String zone) {
    }

    private static Window window(Context ctx) {
        int days = Query.integer(ctx, "days", 7, 365, 30);
        String tz = ctx.queryParam("tz") == null ? "UTC" : ctx.queryParam("tz");
        // IANA names only: PostgreSQL knows those, not every spelling Java accepts ("GMT+5", "UTC+05:00")
        if (!tz.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(tz)) {
            throw ApiException.badRequest("invalid_query", "tz: not a time zone (use an IANA name such as Europe/Dublin)");
        }
        try {
            return new Window(days, ZoneId.of(tz).getId());
        } catch (DateTimeException e) {
            throw ApiException.badRequest("invalid_query", "tz: not a time zone (use an IANA name such as Europe/Dublin)");
        }
    }

    public void patterns(Context ctx) throws SQLException {
        int user = Caller.id(ctx);
        Window w = window(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode().put("days", w.days()).put("tz", w.zone());
        int[] byHour = new int[24];
        int[] byWeekday = new int[7];
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT "
                + "extract(hour FROM prediction_time AT TIME ZONE ?)::int, extract(isodow FROM prediction_time AT TIME ZONE ?)::int "
                + "FROM health_predictions WHERE user_id = ? AND prediction_type = 'stress_episode' "
                + "AND prediction_time >= now() - make_interval(days => ?)")) {
            ps.setString(1, w.zone());
            ps.setString(2, w.zone());
            ps.setInt(3, user);
            ps.setInt(4, w.days());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byHour[rs.getInt(1)]++;
                    byWeekday[rs.getInt(2) - 1]++;
                }
            }
        }
        int total = java.util.Arrays.stream(byHour).sum();
        out.put("stress_episodes", total);
        out.set("episodes_by_hour", Json.MAPPER.valueToTree(byHour));
        out.set("episodes_by_weekday_mon_to_sun", Json.MAPPER.valueToTree(byWeekday));
        int peak = 0;
        for (int h = 1; h < 24; h++) {
            peak = byHour[h] > byHour[peak] ? h : peak;
        }
        out.put("peak_hour", total == 0 ? null : peak);

        List<DailySummary> days = daily(user, w);
        double highSleep = meanSleep(days, true);
        double otherSleep = meanSleep(days, false);
        ObjectNode sleep = out.putObject("sleep_before_high_stress_days");
        sleep.put("definition", "days with 2 or more stress episodes vs the other days");
        sleep.put("high_stress_days", days.stream().filter(d -> d.stressEpisodes() >= 2).count());
        put(sleep, "mean_sleep_hours_before_high_stress_days", highSleep);
        put(sleep, "mean_sleep_hours_before_other_days", otherSleep);
        ctx.json(out);
    }

    public void correlations(Context ctx) throws SQLException {
        Window w = window(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Correlations.Result r : Correlations.compute(daily(Caller.id(ctx), w))) {
            ObjectNode n = list.addObject().put("x", r.x()).put("y", r.y()).put("n", r.n()).put("reported", r.reported());
            if (r.reported()) {
                n.put("coefficient", r.coefficient()).put("p_value", r.pValue()).put("method", "pearson");
            } else {
                n.put("reason", "fewer than " + Correlations.MIN_DAYS + " days with both measures (or one never varied)");
            }
        }
        ctx.json(Json.MAPPER.createObjectNode().put("days", w.days()).put("tz", w.zone()).set("correlations", list));
    }

    private List<DailySummary> daily(int user, Window w) throws SQLException {
        try (Connection c = db.getConnection()) {
            return DailySummaries.of(c, user, w.days(), w.zone());
        }
    }

    private static double meanSleep(List<DailySummary> days, boolean highStress) {
        return days.stream().filter(d -> (d.stressEpisodes() >= 2) == highStress && Double.isFinite(d.sleepHours()))
                .mapToDouble(DailySummary::sleepHours).average().orElse(Double.NaN);
    }

    private static void put(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, Math.round(v * 100) / 100.0);
        } else {
            n.putNull(field);
        }
    }
}
