package io.chakrai.models.imports;

import com.garmin.fit.Decode;
import com.garmin.fit.FitRuntimeException;
import com.garmin.fit.Mesg;
import com.garmin.fit.MesgNum;
import com.garmin.fit.MonitoringMesg;
import com.garmin.fit.RecordMesg;
import com.garmin.fit.RespirationRateMesg;
import com.garmin.fit.SleepLevel;
import com.garmin.fit.SleepLevelMesg;
import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.io.InputStream;
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
 *   <tr><td>{@code sleep_level} (awake, light, deep, REM, from its time to the next level's)</td>
 *       <td>sleep_stage each minute: awake 0, light 1, deep 2, REM 3</td></tr>
 * </table>
 *
 * Step counts ({@code monitoring.steps} / {@code cycles}: running totals per activity type that
 * reset each day), beat-to-beat intervals ({@code hrv}) and stress scores are read and counted as
 * skipped, not imported. A damaged file (a bad CRC, a cut-off message) stops the import with the
 * byte where it was met; what came before is kept, as for a malformed XML or JSON file.
 */
public final class GarminFitReader {
    static final String SOURCE = "Garmin";

    /** The 12- or 14-byte header of every FIT file names the format here. */
    static boolean isFit(byte[] head) {
        return head.length >= 12
                && head[8] == '.'
                && head[9] == 'F'
                && head[10] == 'I'
                && head[11] == 'T';
    }

    private GarminFitReader() {}

    public static void read(InputStream in, ImportSink sink) throws IOException, ImportRefused {
        BoundedInputStream counted = BoundedInputStream.builder().setInputStream(in).get();
        Reading state = new Reading(sink);
        Decode decode = new Decode();
        try {
            if (!decode.read(counted, state::message)) {
                throw new ImportRefused("not a FIT file: its header does not say .FIT");
            }
        } catch (FitRuntimeException e) {
            if (counted.getCount() <= 14) {
                throw new ImportRefused("not a FIT file: its header does not say .FIT");
            }
            throw new ImportRefused(
                    "the FIT file is damaged near byte "
                            + counted.getCount()
                            + " (a bad checksum or a cut-off message); the readings before it were kept");
        }
        state.endOfFile();
    }

    /** What one file's messages leave for the next: the last full time, an open sleep level. */
    private static final class Reading {
        private final ImportSink sink;
        private long lastFullSeconds = -1;
        private Instant levelSince;
        private int level = -1;

        Reading(ImportSink sink) {
            this.sink = sink;
        }

        void message(Mesg m) {
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
            if (m.getTimestamp() != null) {
                lastFullSeconds = m.getTimestamp().getTimestamp();
            }
            if (m.getSteps() != null || m.getCycles() != null) {
                sink.skip("FIT step counts (running totals per activity, not imported)");
            }
            Short bpm = m.getHeartRate();
            if (bpm == null) {
                return;
            }
            Integer t16 = m.getTimestamp16();
            if (m.getTimestamp() != null) {
                heartRate(bpm, m.getTimestamp().getInstant());
            } else if (t16 != null && lastFullSeconds >= 0) {
                // the low 16 bits of the time, counted forward from the last full timestamp
                long seconds = lastFullSeconds + ((t16 - lastFullSeconds) & 0xFFFF);
                heartRate(bpm, new com.garmin.fit.DateTime(seconds).getInstant());
            } else {
                sink.skip("FIT heart rate with a short timestamp and no full one before it");
            }
        }

        private void sleep(SleepLevelMesg m) {
            Instant at = m.getTimestamp() == null ? null : m.getTimestamp().getInstant();
            if (at == null) {
                sink.skip("FIT sleep level without a time");
                return;
            }
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

        /** The open level, one stage a minute until {@code until} (at most a day of it). */
        private void closeLevel(Instant until) {
            if (levelSince != null && level >= 0 && until.isAfter(levelSince)) {
                long minutes =
                        Math.min(1440, java.time.Duration.between(levelSince, until).toMinutes());
                for (long k = 0; k < minutes; k++) {
                    sink.sample(
                            SOURCE, DataType.SLEEP_STAGE, level, levelSince.plusSeconds(60 * k));
                }
            }
            levelSince = null;
            level = -1;
        }

        /** The last level has no next one: a minute of it, where the watch wrote its end. */
        void endOfFile() {
            if (levelSince != null) {
                closeLevel(levelSince.plusSeconds(60));
            }
        }
    }
}
