package io.chakrai.jobs.io;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.ParseResult;
import io.chakrai.models.readings.Problem;
import io.chakrai.models.readings.ReadingCodec;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses records with the same {@link ReadingCodec} the API validates with, and checks that the
 * device belongs to the reading's user; a record marked as history gives a reading marked so.
 * Anything else goes to the {@link #DEAD_LETTERS} side output with its reason; the job never fails
 * on bad data.
 */
public final class ParseReadings extends ProcessFunction<RawRecord, BiometricReading> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    private final DeviceDirectory.Connect directoryConnect;
    private transient DeviceDirectory directory;
    private transient Counter rejected;

    public ParseReadings(DeviceDirectory.Connect directoryConnect) {
        this.directoryConnect = directoryConnect;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        directory = directoryConnect.open();
        rejected = getRuntimeContext().getMetricGroup().counter("readingsRejected");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<BiometricReading> out)
            throws Exception {
        ParseResult r = ReadingCodec.fromRecord(record.bytes());
        String reason;
        if (r.isOk()) {
            OptionalInt owner = directory.owner(r.reading().deviceId());
            if (owner.isPresent() && owner.getAsInt() == r.reading().userId()) {
                out.collect(record.history() ? r.reading().asHistory() : r.reading());
                return;
            }
            reason =
                    "device_id: device "
                            + r.reading().deviceId()
                            + " is not registered to user "
                            + r.reading().userId();
        } else {
            reason = r.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
        }
        rejected.inc();
        ctx.output(DEAD_LETTERS, new DeadLetter(reason, record, System.currentTimeMillis()));
    }

    @Override
    public void close() throws Exception {
        if (directory != null) {
            directory.close();
        }
    }
}
