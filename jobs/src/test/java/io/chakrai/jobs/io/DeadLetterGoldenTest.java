package io.chakrai.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter contract pinned to golden JSON, and how the sink tells data refusals from
 * outages.
 */
class DeadLetterGoldenTest {
    @Test
    void theDeadLetterRecord() {
        DeadLetter d =
                new DeadLetter(
                        "value: heart_rate of 900 bpm is outside the plausible range 25..250",
                        new RawRecord("biometric.readings", 1, 42, "7", "{\"x\":1}", 0),
                        1_764_000_000_000L);
        assertEquals(
                "{\"reason\":\"value: heart_rate of 900 bpm is outside the plausible range 25..250\","
                        + "\"topic\":\"biometric.readings\",\"partition\":1,\"offset\":42,\"key\":\"7\",\"value\":\"{\\\"x\\\":1}\","
                        + "\"failed_at\":1764000000000}",
                new String(new DeadLetter.JsonSerializer().serialize(d), StandardCharsets.UTF_8));
        assertEquals(
                java.util.List.of(),
                io.chakrai.client.contract.MessageContract.ofRepository()
                        .problems(
                                "DeadLetter",
                                new String(
                                        new DeadLetter.JsonSerializer().serialize(d),
                                        StandardCharsets.UTF_8)));
    }

    @Test
    void dataRefusalsAreToldApartFromOutages() {
        // a batch failure carries the server's error in its next-exception chain
        BatchUpdateException batch =
                new BatchUpdateException("Batch entry 3 was aborted", "", 0, new int[0], null);
        batch.setNextException(
                new SQLException(
                        "ERROR: new row violates check constraint \"c\"\n  Detail: row", "23514"));
        assertTrue(ResilientJdbcSink.isDataError(batch));
        assertEquals(
                "database refused the row (SQLSTATE 23514): ERROR: new row violates check constraint \"c\"",
                ResilientJdbcSink.reason(batch));
        assertTrue(
                ResilientJdbcSink.isDataError(new SQLException("invalid byte sequence", "22021")));
        assertTrue(ResilientJdbcSink.isDataError(new SQLException("index row too big", "54000")));
        assertFalse(ResilientJdbcSink.isDataError(new SQLException("connection refused", "08001")));
        assertFalse(
                ResilientJdbcSink.isDataError(
                        new SQLException("relation does not exist", "42P01")));
        assertFalse(ResilientJdbcSink.isDataError(new SQLException("no state")));
    }
}
