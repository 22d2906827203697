package io.chakrai.models.imports;

import com.garmin.fit.ActivityType;
import com.garmin.fit.Decode;
import com.garmin.fit.Mesg;
import com.garmin.fit.MesgNum;
import com.garmin.fit.MonitoringMesg;
import com.garmin.fit.RecordMesg;
import com.garmin.fit.RespirationRateMesg;
import com.garmin.fit.SleepLevel;
import com.garmin.fit.SleepLevelMesg;
import io.chakrai.models.readings.DataType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Garmin's FIT files (activities, the daily monitoring files and sleep), decoded a message at a
 * time by Garmin's FIT SDK. The mapping, in {@code docs/imports.md} too:
 *
 * <table>
 *   <tr><th>message</th><th>becomes</th></tr>
 *   <tr><td>{@code record.heart_rate} (an activity, each second or so)</td><td>heart_rate</td></tr>
 *   <tr><td>{@code monitoring.heart_rate} (all day; a 16-bit timestamp counted from the last full one)</td><td>heart_rate</td></tr>
 *   <tr><td>{@code respiration_rate.respiration_rate}</td><td>respiration_rate</td></tr>
 *   <tr><td>{@code monitoring.steps} of walking and running (running totals per activity type from
 *       the start of the file's day)</td><td>steps: each total less the one before of its
 *       activity (the first of a file, or one smaller than the one before, counts from zero)</td></tr>
 *   <tr><td>{@code sleep_level} (awake, light, deep, REM, from its time to the next level's)</td>
 *       <td>sleep_stage each minute: awake 0, light 1, deep 2, REM 3</td></tr>
 * </table>
 *
 * Cycles of other activities (cycling, swimming), beat-to-beat intervals ({@code hrv}) and stress
 * scores are read and counted as skipped, not imported. A file that is not FIT, or damaged (a bad
 * checksum, a cut-off message, a malformed definition), is refused with the SDK's account of where;
 * what came before is kept, as for a malformed XML or JSON file (in a ZIP of many, {@link
 * ExportReader} goes on with the next). A FIT file is a watch's day or an activity: one over {@link
 * #MAX_FILE_BYTES}, or with more than {@link #MAX_FIELD_DESCRIPTIONS} developer field descriptions
 * (which the SDK keeps for the whole file), is refused rather than held in memory.
 */
public final class GarminFitReader {
    static final String SOURCE = "Garmin";

    /** A day of monitoring is kilobytes, a 24-hour activity a few MB. */
    static final long MAX_FILE_BYTES = 32L << 20;

    static final int MAX_FIELD_DESCRIPTIONS = 512;

    /**
     * A sleep level longer than this is not a stage of a night (an awake tail is cut to an hour).
     */
    static final Duration LONGEST_LEVEL = Duration.ofHours(4);

    static final Duration LONGEST_AWAKE = Duration.ofHours(1);

    /** The 12- or 14-byte header of every FIT file names the format here. */
    static boolean isFit(byte[] head) {
        return head.length >= 12
                && head[8] == '.'
                && head[9] == 'F'
                && head[10] == 'I'
                && head[11] == 'T';
    }

    private GarminFitReader() {}

    public static void read(InputStream raw, ImportSink sink) throws IOException, ImportRefused {
        InputStream capped =
                BoundedInputStream.builder()
                        .setInputStream(raw)
                        .setMaxCount(MAX_FILE_BYTES)
                        .setOnMaxCount(
                                (max, count) -> {
                                    throw new TooBig();
                                })
                        .get();
        BufferedInputStream in = new BufferedInputStream(capped, 1 << 16);
        in.mark(16);
        if (!isFit(in.readNBytes(12))) {
            throw new ImportRefused("not a FIT file: its header does not say .FIT");
        }
        in.reset();
        Reading state = new Reading(guarded(sink));
        try {
            // the three-argument read goes on through files chained one after another
            new Decode().read(in, state::message, null);
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SinkFailure f) {
                    throw f.getCause(); // the sink's own (stopped, too long): not the file's
                }
                if (c instanceof IOException io) {
                    // the stream under the file failed (a damaged ZIP around it): not the FIT
                    // file's damage, and the SDK's message would carry the exception's class
                    throw io;
                }
                if (c instanceof TooBig) {
                    throw new ImportRefused(
                            "a FIT file larger than "
                                    + (MAX_FILE_BYTES >> 20)
                                    + " MB (a watch's day or activity is a few MB at most); nothing more read");
                }
                if (c instanceof TooManyFields) {
                    throw new ImportRefused(
                            "a FIT file with more than "
                                    + MAX_FIELD_DESCRIPTIONS
                                    + " developer field descriptions; nothing more read");
                }
            }
            // the SDK reports a damaged file by runtime exceptions of several kinds (its own, and
            // ones its decoder meets on malformed definitions): each is the file's fault
            throw new ImportRefused("the FIT file is damaged: " + what(e));
        }
        state.endOfFile();
    }

    /** The SDK's own words (they say where), clipped; never a class name. */
    private static String what(RuntimeException e) {
        if (e instanceof com.garmin.fit.FitRuntimeException
                && e.getMessage() != null
                && !e.getMessage().contains("java.")
                && !e.getMessage().contains("Exception")) {
            return AppleHealthReader.clip(e.getMessage().replace("FIT decode error: ", ""));
        }
        return "a message or a definition it holds cannot be decoded";
    }

    /** The sink, its runtime exceptions marked as its own on their way through the decoder. */
    private static ImportSink guarded(ImportSink sink) {
        return new ImportSink() {
            @Override
            public void sample(String source, DataType type, double value, Instant at) {
                try {
                    sink.sample(source, type, value, at);
                } catch (RuntimeException e) {
                    throw new SinkFailure(e);
                }
            }

            @Override
            public void skip(String reason) {
                try {
                    sink.skip(reason);
                } catch (RuntimeException e) {
                    throw new SinkFailure(e);
                }
            }
        };
    }

    private static final class TooManyFields extends RuntimeException {
        TooManyFields() {
            super(null, null, false, false);
        }
    }

    /** A runtime exception the sink threw, carried through the SDK's decoder untouched. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /** Reading past {@link #MAX_FILE_BYTES}, carried through the SDK's decoder. */
    private static final class TooBig extends RuntimeException {
        TooBig() {
            super(null, null, false, false);
        }
    }

    /**
     * What one file's messages leave for the next: the last full time, an open sleep level, the
     * latest level's time.
     */
    private static final class Reading {
        private final ImportSink sink;
        private long lastFullSeconds = -1;
        private Instant levelSince;
        private int level = -1;
        private Instant latestLevel = Instant.MIN;
        private int fieldDescriptions;
        private final java.util.EnumMap<ActivityType, Long> stepTotals =
                new java.util.EnumMap<>(ActivityType.class);

        Reading(ImportSink sink) {
            this.sink = sink;
        }

        void message(Mesg m) {
            // a 16-bit timestamp counts forward from the last full timestamp (field 253) of any
            // message
            Long full = m.getFieldLongValue(253);
            if (full != null) {
                lastFullSeconds = full;
            }
            switch (m.getNum()) {
                case MesgNum.RECORD -> {
                    RecordMesg r = new RecordMesg(m);
                    heartRate(
                            r.getHeartRate(),
                            r.getTimestamp() == null ? null : r.getTimestamp().getInstant());
                }
                case MesgNum.MONITORING -> monitoring(new MonitoringMesg(m));
                case MesgNum.RESPIRATION_RATE -> {
                    RespirationRateMesg r = new RespirationRateMesg(m);
                    Float rate = r.getRespirationRate();
                    if (r.getTimestamp() == null || rate == null || rate < 0) {
                        sink.skip("FIT respiration rate without a time or a value");
                    } else {
                        sink.sample(
                                SOURCE,
                                DataType.RESPIRATION_RATE,
                                rate,
                                r.getTimestamp().getInstant());
                    }
                }
                case MesgNum.SLEEP_LEVEL -> sleep(new SleepLevelMesg(m));
                case MesgNum.HRV -> sink.skip("FIT beat-to-beat intervals (not imported)");
                case MesgNum.FIELD_DESCRIPTION -> {
                    if (++fieldDescriptions > MAX_FIELD_DESCRIPTIONS) {
                        throw new TooManyFields();
                    }
                }
                default -> {
                    // file ids, devices, sessions, laps, events: what the file is, not readings
                }
            }
        }

        private void heartRate(Short bpm, Instant at) {
            if (bpm == null) {
                return; // a record of speed or position only
            }
            if (at == null) {
                sink.skip("FIT heart rate without a time");
            } else {
                sink.sample(SOURCE, DataType.HEART_RATE, bpm, at);
            }
        }

        private void monitoring(MonitoringMesg m) {
            Instant at = time(m);
            Long total = m.getSteps();
            ActivityType activity = m.getActivityType();
            if (total != null
                    && (activity == ActivityType.WALKING || activity == ActivityType.RUNNING)) {
                steps(activity, total, at);
            } else if (total != null || m.getCycles() != null) {
                sink.skip(
                        "FIT cycles not named as walking or running by their activity type"
                                + " (not imported)");
            }
            Short bpm = m.getHeartRate();
            if (bpm == null) {
                return;
            }
            if (at != null) {
                heartRate(bpm, at);
            } else if (m.getTimestamp16() != null) {
                sink.skip("FIT heart rate with a short timestamp and no full one before it");
            } else {
                sink.skip("FIT heart rate without a time");
            }
        }

        /**
         * A message's time: its full timestamp, or its 16-bit one counted forward from the last
         * full timestamp; null when it has neither.
         */
        private Instant time(MonitoringMesg m) {
            if (m.getTimestamp() != null) {
                return m.getTimestamp().getInstant();
            }
            Integer t16 = m.getTimestamp16();
            if (t16 != null && lastFullSeconds >= 0) {
                long seconds = lastFullSeconds + ((t16 - lastFullSeconds) & 0xFFFF);
                return new com.garmin.fit.DateTime(seconds).getInstant();
            }
            return null;
        }

        /**
         * A running total of an activity's steps, as a watch's daily monitoring file counts them
         * from the start of its day: the steps since the previous total of the same activity, at
         * the time of this one. A total smaller than the one before of its activity starts a new
         * day: every activity counts from zero again. The first total of a file counts from the
         * file's start. (An activity whose first total of a new day comes before any other's fall,
         * and is larger than its last of the day before, is counted from that last.)
         */
        private void steps(ActivityType activity, long total, Instant at) {
            if (at == null) {
                sink.skip("FIT step total without a time");
                return;
            }
            Long before = stepTotals.get(activity);
            if (before != null && total < before) {
                // a new day: every activity's count starts again from zero
                stepTotals.clear();
                before = null;
            }
            stepTotals.put(activity, total);
            long steps = before == null ? total : total - before;
            if (steps > 0) {
                sink.sample(SOURCE, DataType.STEPS, steps, at);
            }
        }

        private void sleep(SleepLevelMesg m) {
            Instant at = m.getTimestamp() == null ? null : m.getTimestamp().getInstant();
            if (at == null) {
                sink.skip("FIT sleep level without a time");
                return;
            }
            if (at.isBefore(latestLevel)) {
                sink.skip("FIT sleep level earlier than the one before it");
                return;
            }
            latestLevel = at;
            closeLevel(at);
            SleepLevel l = m.getSleepLevel();
            level =
                    l == SleepLevel.AWAKE
                            ? 0
                            : l == SleepLevel.LIGHT
                                    ? 1
                                    : l == SleepLevel.DEEP ? 2 : l == SleepLevel.REM ? 3 : -1;
            levelSince = at;
            if (level < 0) {
                sink.skip("FIT sleep level not measurable");
            }
        }

        /**
         * The open level, one stage a minute until {@code until}: awake for at most an hour (the
         * end of a night is not a day awake), any other level skipped when longer than a night's
         * stage can be.
         */
        private void closeLevel(Instant until) {
            if (levelSince != null && level >= 0 && until.isAfter(levelSince)) {
                Duration d = Duration.between(levelSince, until);
                if (level == 0 && d.compareTo(LONGEST_AWAKE) > 0) {
                    d = LONGEST_AWAKE;
                }
                if (d.compareTo(LONGEST_LEVEL) > 0) {
                    sink.skip("FIT sleep level longer than 4 hours");
                } else {
                    for (long k = 0; k < d.toMinutes(); k++) {
                        sink.sample(
                                SOURCE,
                                DataType.SLEEP_STAGE,
                                level,
                                levelSince.plusSeconds(60 * k));
                    }
                }
            }
            levelSince = null;
            level = -1;
        }

        /** The last level has no next one: a minute of it, where the watch wrote it. */
        void endOfFile() {
            if (levelSince != null) {
                closeLevel(levelSince.plusSeconds(60));
            }
        }
    }
}
