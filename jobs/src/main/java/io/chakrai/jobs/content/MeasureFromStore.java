package io.chakrai.jobs.content;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.io.Usage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions reported long after they happened (an app offline for hours, a history upload): the same
 * before/after comparison as {@link BeforeAndAfter}, from the readings already stored in {@code
 * biometric_readings}. Readings may still be on their way to the table, so a session not yet
 * covered is tried again every {@value #RETRY_MS} ms (processing time), {@value #TRIES} times in
 * all, then left unmeasured. A database that is down is a retry too, never a failed job.
 */
public final class MeasureFromStore extends KeyedProcessFunction<Integer, Usage, Measured> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MeasureFromStore.class);
    static final long RETRY_MS = 10_000;
    static final int TRIES = 12;
    static final String WINDOW =
            "SELECT avg(value) FILTER (WHERE data_type = 'heart_rate'), avg(value) FILTER (WHERE data_type = 'hrv'), "
                    + "count(DISTINCT date_trunc('minute', \"timestamp\")) FILTER (WHERE data_type = 'heart_rate') FROM biometric_readings "
                    + "WHERE user_id = ? AND \"timestamp\" >= ? AND \"timestamp\" < ? AND data_type IN ('heart_rate', 'hrv')";

    private final String url;
    private final String user;
    private final String password;
    private transient Connection db;
    private transient MapState<Long, long[]> waiting; // usage id → {started, completed, tries}

    public MeasureFromStore(SourceOptions o) {
        this.url = o.dbUrl;
        this.user = o.dbUser;
        this.password = o.dbPassword;
    }

    @Override
    public void open(OpenContext ctx) {
        waiting =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "late-waiting",
                                        TypeInformation.of(Long.class),
                                        TypeInformation.of(new TypeHint<long[]>() {})));
    }

    @Override
    public void processElement(Usage u, Context ctx, Collector<Measured> out) throws Exception {
        long[] s = {u.startedAt(), u.completedAt(), 0};
        if (!attempt(u.id(), u.userId(), s, out)) {
            waiting.put(u.id(), s);
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            ctx.timerService().currentProcessingTime() + RETRY_MS);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Measured> out)
            throws Exception {
        List<Long> finished = new ArrayList<>();
        boolean again = false;
        for (Map.Entry<Long, long[]> e : waiting.entries()) {
            long[] s = e.getValue();
            if (attempt(e.getKey(), ctx.getCurrentKey(), s, out) || s[2] >= TRIES) {
                finished.add(e.getKey());
            } else {
                waiting.put(e.getKey(), s);
                again = true;
            }
        }
        for (Long id : finished) {
            waiting.remove(id);
        }
        if (again) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + RETRY_MS);
        }
    }

    /** One try; true when measured. */
    private boolean attempt(long id, int person, long[] s, Collector<Measured> out) {
        s[2]++;
        try {
            Measured m =
                    Measured.compare(
                            id,
                            person,
                            window(person, s[0] - BeforeAndAfter.WINDOW_MS, s[0]),
                            window(person, s[1], s[1] + BeforeAndAfter.WINDOW_MS),
                            BeforeAndAfter.COVERAGE);
            if (m != null) {
                out.collect(m);
                return true;
            }
        } catch (SQLException e) {
            LOG.warn(
                    "cannot read stored readings for a late content session ({}); will try again",
                    e.getSQLState());
            close();
        }
        return false;
    }

    private double[] window(int person, long from, long to) throws SQLException {
        if (db == null || db.isClosed()) {
            db = DriverManager.getConnection(url, user, password);
        }
        try (PreparedStatement ps = db.prepareStatement(WINDOW)) {
            ps.setInt(1, person);
            ps.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(from)));
            ps.setTimestamp(3, Timestamp.from(Instant.ofEpochMilli(to)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double hr = rs.getDouble(1);
                hr = rs.wasNull() ? Double.NaN : hr;
                double rmssd = rs.getDouble(2);
                rmssd = rs.wasNull() ? Double.NaN : rmssd;
                return new double[] {hr, rmssd, rs.getLong(3)};
            }
        }
    }

    @Override
    public void close() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // closing a broken connection
        }
        db = null;
    }
}
