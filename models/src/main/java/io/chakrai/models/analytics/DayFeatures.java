package io.chakrai.models.analytics;

import io.chakrai.models.readings.DataType;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * One person's day of readings, accumulated as they stream in, to the same daily figures the API
 * computes in SQL ({@link DailySummary}): steps summed, median RMSSD, resting heart rate as the
 * 10th percentile, and the night's sleep (a {@code sleep_stage} minute above 0 counts one minute; a
 * sleep reading belongs to the night that ends on the day six hours later). Heart rate and RMSSD
 * are kept as counts per 0.1 unit, so a day costs a few hundred entries however often the watch
 * reports, and the percentiles are PostgreSQL's {@code percentile_cont} of the values rounded to
 * 0.1. Days are UTC.
 *
 * <p>A plain mutable class with public fields so Flink keeps it as POJO state.
 */
public final class DayFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    public long epochDay;
    public double steps;
    public int stepsReadings;
    public int sleepMinutes;
    public int sleepReadings;
    public TreeMap<Integer, Integer> hrTenths = new TreeMap<>();
    public TreeMap<Integer, Integer> hrvTenths = new TreeMap<>();

    public DayFeatures() {}

    public DayFeatures(long epochDay) {
        this.epochDay = epochDay;
    }

    /**
     * The day a reading counts for (sleep: the night ending six hours later), as epoch day (UTC).
     */
    public static long dayOf(String dataType, Instant at) {
        Instant t = DataType.SLEEP_STAGE.is(dataType) ? at.plusSeconds(6 * 3600) : at;
        return LocalDate.ofInstant(t, ZoneOffset.UTC).toEpochDay();
    }

    /** Whether this data type feeds a daily figure. */
    public static boolean counts(String dataType) {
        DataType type = DataType.of(dataType);
        return type == DataType.HEART_RATE
                || type == DataType.HRV
                || type == DataType.STEPS
                || type == DataType.SLEEP_STAGE;
    }

    public void add(String dataType, double value) {
        DataType type = DataType.of(dataType);
        if (type == null) {
            return;
        }
        switch (type) {
            case HEART_RATE -> hrTenths.merge((int) Math.round(value * 10), 1, Integer::sum);
            case HRV -> hrvTenths.merge((int) Math.round(value * 10), 1, Integer::sum);
            case STEPS -> {
                steps += value;
                stepsReadings++;
            }
            case SLEEP_STAGE -> {
                sleepReadings++;
                if (value > 0) {
                    sleepMinutes++;
                }
            }
            default -> {}
        }
    }

    /** The day's figures; stress episodes are not known from readings and come from the caller. */
    public DailySummary summary(double stressEpisodes) {
        return new DailySummary(
                LocalDate.ofEpochDay(epochDay),
                sleepReadings == 0 ? Double.NaN : sleepMinutes / 60.0,
                stressEpisodes,
                stepsReadings == 0 ? Double.NaN : steps,
                percentile(hrvTenths, 0.5),
                percentile(hrTenths, 0.1));
    }

    /** PostgreSQL's {@code percentile_cont}: linear interpolation between the two nearest ranks. */
    static double percentile(TreeMap<Integer, Integer> tenths, double p) {
        long n = tenths.values().stream().mapToLong(Integer::longValue).sum();
        if (n == 0) {
            return Double.NaN;
        }
        double pos = p * (n - 1);
        long lo = (long) Math.floor(pos);
        double loValue = Double.NaN;
        long seen = 0;
        for (Map.Entry<Integer, Integer> e : tenths.entrySet()) {
            long next = seen + e.getValue();
            if (Double.isNaN(loValue) && lo < next) {
                loValue = e.getKey() / 10.0;
            }
            if (!Double.isNaN(loValue)) {
                if (lo + 1 >= n) {
                    return loValue;
                }
                if (lo + 1 < next) {
                    return loValue + (pos - lo) * (e.getKey() / 10.0 - loValue);
                }
            }
            seen = next;
        }
        throw new IllegalStateException("unreachable: rank " + lo + " of " + n);
    }
}
